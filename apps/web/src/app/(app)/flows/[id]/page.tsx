import { FlowPage } from "@/features/flows/flow-page";

export const metadata = { title: "Flow" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <FlowPage id={id} />;
}
