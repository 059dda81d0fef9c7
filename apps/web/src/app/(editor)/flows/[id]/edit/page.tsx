import { EditorPage } from "@/features/editor/editor-page";

export const metadata = { title: "Flow editor" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ call?: string }>;
}) {
  const { id } = await params;
  const { call } = await searchParams;
  return <EditorPage flowId={id} {...(call ? { callUuid: call } : {})} />;
}
