import { WallboardPage } from "@/features/wallboard/wallboard-page";

export const metadata = { title: "Wall-board" };

export default function Page() {
  return <WallboardPage />;
}
