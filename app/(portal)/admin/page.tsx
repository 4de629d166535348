import { redirect } from "next/navigation";

// The header's Admin link goes to All keys; /admin itself has nothing else to show.
export default function AdminIndex() {
  redirect("/admin/keys");
}
