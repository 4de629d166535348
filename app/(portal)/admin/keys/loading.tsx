import { TableSkeleton } from "@/components/admin/table-skeleton";

export default function Loading() {
  return <TableSkeleton title="All keys" columns={8} withPanel />;
}
