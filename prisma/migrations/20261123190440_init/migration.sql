-- CreateTable
CREATE TABLE "Flow" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "draftGraph" TEXT NOT NULL,
    "lastVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FlowVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "flowId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "graph" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "comment" TEXT,
    CONSTRAINT "FlowVersion_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NumberRoute" (
    "number" TEXT NOT NULL PRIMARY KEY,
    "flowId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "NumberRoute_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "QueueConfig" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "maxConcurrent" INTEGER NOT NULL,
    "maxWaiting" INTEGER,
    "timeoutMs" INTEGER,
    "holdMusic" TEXT,
    "announcementIntervalMs" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "contact" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'available',
    "wrapUpMs" INTEGER NOT NULL DEFAULT 0,
    "maxNoAnswer" INTEGER NOT NULL DEFAULT 3,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AgentGroup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AgentGroupMember" (
    "groupId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("groupId", "agentId"),
    CONSTRAINT "AgentGroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "AgentGroup" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AgentGroupMember_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CallRecord" (
    "callUuid" TEXT NOT NULL PRIMARY KEY,
    "flowId" TEXT,
    "flowVersionId" TEXT,
    "flowVersion" INTEGER,
    "numberDialled" TEXT NOT NULL,
    "callerNumber" TEXT NOT NULL,
    "callerName" TEXT,
    "queueId" TEXT,
    "startedAt" DATETIME NOT NULL,
    "enqueuedAt" DATETIME,
    "acquiredAt" DATETIME,
    "answeredAt" DATETIME,
    "endedAt" DATETIME,
    "waitMs" INTEGER,
    "outcome" TEXT,
    "agentContact" TEXT,
    "hangupCause" TEXT,
    "workerId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "CallTrace" (
    "callUuid" TEXT NOT NULL PRIMARY KEY,
    "totalSteps" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "CallTrace_callUuid_fkey" FOREIGN KEY ("callUuid") REFERENCES "CallRecord" ("callUuid") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CallTraceStep" (
    "callUuid" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "kind" TEXT NOT NULL,
    "nodeId" TEXT,
    "data" TEXT,

    PRIMARY KEY ("callUuid", "seq"),
    CONSTRAINT "CallTraceStep_callUuid_fkey" FOREIGN KEY ("callUuid") REFERENCES "CallTrace" ("callUuid") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "FlowVersion_flowId_number_key" ON "FlowVersion"("flowId", "number");

-- CreateIndex
CREATE INDEX "NumberRoute_flowId_idx" ON "NumberRoute"("flowId");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_contact_key" ON "Agent"("contact");

-- CreateIndex
CREATE UNIQUE INDEX "AgentGroup_name_key" ON "AgentGroup"("name");

-- CreateIndex
CREATE INDEX "AgentGroupMember_agentId_idx" ON "AgentGroupMember"("agentId");

-- CreateIndex
CREATE INDEX "CallRecord_startedAt_idx" ON "CallRecord"("startedAt");

-- CreateIndex
CREATE INDEX "CallRecord_queueId_startedAt_idx" ON "CallRecord"("queueId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");


-- Published versions are immutable: nothing may rewrite one, whatever the client.
-- Written by hand (Prisma does not model triggers). SQLite drops a table's
-- triggers when a migration redefines the table: recreate this one then.
CREATE TRIGGER "FlowVersion_immutable" BEFORE UPDATE ON "FlowVersion"
BEGIN
    SELECT RAISE(ABORT, 'FlowVersion rows are immutable');
END;
