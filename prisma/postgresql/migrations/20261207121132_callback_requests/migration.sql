-- CreateTable
CREATE TABLE "CallbackRequest" (
    "id" TEXT NOT NULL,
    "queueId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "callerName" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 5,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL,
    "retryDelayMs" INTEGER,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "lastResult" TEXT,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "openKey" TEXT,
    "callUuid" TEXT,
    "flowVersionId" TEXT,
    "nodeId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CallbackRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CallbackRequest_openKey_key" ON "CallbackRequest"("openKey");

-- CreateIndex
CREATE INDEX "CallbackRequest_status_nextAttemptAt_idx" ON "CallbackRequest"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "CallbackRequest_status_leaseUntil_idx" ON "CallbackRequest"("status", "leaseUntil");

-- CreateIndex
CREATE INDEX "CallbackRequest_queueId_status_idx" ON "CallbackRequest"("queueId", "status");

