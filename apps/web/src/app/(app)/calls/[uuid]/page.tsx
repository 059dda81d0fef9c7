import { CallPage } from "@/features/calls/call-page";

export const metadata = { title: "Call" };

export default async function Page({ params }: { params: Promise<{ uuid: string }> }) {
  const { uuid } = await params;
  return <CallPage callUuid={uuid} />;
}
