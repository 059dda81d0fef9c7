-- AlterTable
ALTER TABLE "CallRecord" ADD COLUMN "estimatedWaitMs" INTEGER;

