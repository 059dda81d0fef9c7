-- CreateTable
CREATE TABLE "WallboardToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_QueueConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "maxConcurrent" INTEGER NOT NULL,
    "maxWaiting" INTEGER,
    "timeoutMs" INTEGER,
    "holdMusic" TEXT,
    "announcementIntervalMs" INTEGER,
    "serviceLevelSeconds" INTEGER NOT NULL DEFAULT 20,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "revision" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_QueueConfig" ("announcementIntervalMs", "createdAt", "holdMusic", "id", "maxConcurrent", "maxWaiting", "name", "revision", "timeoutMs", "updatedAt") SELECT "announcementIntervalMs", "createdAt", "holdMusic", "id", "maxConcurrent", "maxWaiting", "name", "revision", "timeoutMs", "updatedAt" FROM "QueueConfig";
DROP TABLE "QueueConfig";
ALTER TABLE "new_QueueConfig" RENAME TO "QueueConfig";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "WallboardToken_tokenHash_key" ON "WallboardToken"("tokenHash");

