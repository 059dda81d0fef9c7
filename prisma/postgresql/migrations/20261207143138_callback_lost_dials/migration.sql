-- AlterTable
ALTER TABLE "CallbackRequest" ADD COLUMN     "customerLeg" TEXT,
ADD COLUMN     "dialStartedAt" TIMESTAMP(3),
ADD COLUMN     "lostDials" INTEGER NOT NULL DEFAULT 0;

