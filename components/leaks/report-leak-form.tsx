"use client";
import { useState } from "react";
import { ApiError, callApi } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** Anyone can report a key they found; the answer never says whether it was real. */
export function ReportLeakForm() {
  const [key, setKey] = useState("");
  const [url, setUrl] = useState("");
  const [state, setState] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setPending(true);
    setState(null);
    try {
      const answer = await callApi<{ message: string }>("POST", "/api/v1/leaks/report", {
        key: key.trim(),
        ...(url.trim() ? { url: url.trim() } : {}),
      });
      setState({ tone: "success", text: answer.message });
      setKey("");
      setUrl("");
    } catch (e) {
      setState({
        tone: "error",
        text: e instanceof ApiError ? e.message : "The report did not go through. Try again.",
      });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      {state ? <Alert tone={state.tone}>{state.text}</Alert> : null}
      <Field id="leaked-key" label="The key you found" hint="It is only ever hashed, never stored or shown.">
        <Input
          id="leaked-key"
          required
          value={key}
          onChange={(e) => setKey(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
        />
      </Field>
      <Field id="leak-url" label="Where you found it (optional)" hint="A public URL helps the owner clean up.">
        <Input id="leak-url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" />
      </Field>
      <Button type="submit" disabled={pending || !key.trim()}>
        {pending ? "Reporting…" : "Report the key"}
      </Button>
    </form>
  );
}
