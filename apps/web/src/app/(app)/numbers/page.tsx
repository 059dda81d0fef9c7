import { NumbersPage } from "@/features/numbers/numbers-page";

export const metadata = { title: "Numbers" };

export default function Page() {
  return <NumbersPage />;
}
