// GET/POST /api/auth/* – next-auth's sign-in, callback and session endpoints
import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;
