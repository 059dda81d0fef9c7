-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Agent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contact" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'available',
    "wrapUpMs" INTEGER NOT NULL DEFAULT 0,
    "maxNoAnswer" INTEGER NOT NULL DEFAULT 3,
    "userId" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Agent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Agent" ("contact", "createdAt", "id", "maxNoAnswer", "name", "revision", "status", "updatedAt", "wrapUpMs") SELECT "contact", "createdAt", "id", "maxNoAnswer", "name", "revision", "status", "updatedAt", "wrapUpMs" FROM "Agent";
DROP TABLE "Agent";
ALTER TABLE "new_Agent" RENAME TO "Agent";
CREATE UNIQUE INDEX "Agent_contact_key" ON "Agent"("contact");
CREATE UNIQUE INDEX "Agent_userId_key" ON "Agent"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

