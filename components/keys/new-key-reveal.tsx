"use client";
import { SecretReveal } from "@/components/ui/secret-reveal";

/** The one and only time a key's plaintext is shown. */
export function NewKeyReveal({ plaintext, onDone }: { plaintext: string; onDone: () => void }) {
  return <SecretReveal value={plaintext} what="key" testId="new-key" onDone={onDone} />;
}
