-- CreateTable
CREATE TABLE "Flow" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "draftGraph" TEXT NOT NULL,
    "lastVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Flow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowVersion" (
    "id" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "graph" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "comment" TEXT,

    CONSTRAINT "FlowVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NumberRoute" (
    "number" TEXT NOT NULL,
    "flowId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NumberRoute_pkey" PRIMARY KEY ("number")
);

-- CreateTable
CREATE TABLE "QueueConfig" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "maxConcurrent" INTEGER NOT NULL,
    "maxWaiting" INTEGER,
    "timeoutMs" INTEGER,
    "holdMusic" TEXT,
    "announcementIntervalMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QueueConfig_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'available',
    "wrapUpMs" INTEGER NOT NULL DEFAULT 0,
    "maxNoAnswer" INTEGER NOT NULL DEFAULT 3,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentGroup" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentGroupMember" (
    "groupId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "AgentGroupMember_pkey" PRIMARY KEY ("groupId","agentId")
);

-- CreateTable
CREATE TABLE "CallRecord" (
    "callUuid" TEXT NOT NULL,
    "flowId" TEXT,
    "flowVersionId" TEXT,
    "flowVersion" INTEGER,
    "numberDialled" TEXT NOT NULL,
    "callerNumber" TEXT NOT NULL,
    "callerName" TEXT,
    "queueId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "enqueuedAt" TIMESTAMP(3),
    "acquiredAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "waitMs" INTEGER,
    "outcome" TEXT,
    "agentContact" TEXT,
    "hangupCause" TEXT,
    "workerId" TEXT NOT NULL,

    CONSTRAINT "CallRecord_pkey" PRIMARY KEY ("callUuid")
);

-- CreateTable
CREATE TABLE "CallTrace" (
    "callUuid" TEXT NOT NULL,
    "totalSteps" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CallTrace_pkey" PRIMARY KEY ("callUuid")
);

-- CreateTable
CREATE TABLE "CallTraceStep" (
    "callUuid" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "nodeId" TEXT,
    "data" TEXT,

    CONSTRAINT "CallTraceStep_pkey" PRIMARY KEY ("callUuid","seq")
);

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "FlowVersion" ADD CONSTRAINT "FlowVersion_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NumberRoute" ADD CONSTRAINT "NumberRoute_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentGroupMember" ADD CONSTRAINT "AgentGroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "AgentGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentGroupMember" ADD CONSTRAINT "AgentGroupMember_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallTrace" ADD CONSTRAINT "CallTrace_callUuid_fkey" FOREIGN KEY ("callUuid") REFERENCES "CallRecord"("callUuid") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CallTraceStep" ADD CONSTRAINT "CallTraceStep_callUuid_fkey" FOREIGN KEY ("callUuid") REFERENCES "CallTrace"("callUuid") ON DELETE CASCADE ON UPDATE CASCADE;


-- Published versions are immutable: nothing may rewrite one, whatever the client.
-- Written by hand (Prisma does not model triggers).
CREATE FUNCTION "FlowVersion_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'FlowVersion rows are immutable';
END;
$$;

CREATE TRIGGER "FlowVersion_immutable" BEFORE UPDATE ON "FlowVersion"
    FOR EACH ROW EXECUTE FUNCTION "FlowVersion_immutable"();
