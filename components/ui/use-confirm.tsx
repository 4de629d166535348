"use client";
// The portal's "are you sure?", on the same dialog as everything else (focus kept inside, Escape
// cancels), instead of the browser's window.confirm: `const [confirmDialog, ask] = useConfirm()`,
// render {confirmDialog}, then `if (!(await ask("Remove …?", "Remove"))) return;`.
import { useCallback, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

interface Question {
  text: string;
  confirmLabel: string;
  danger: boolean;
}

export function useConfirm(): [
  ReactNode,
  (text: string, confirmLabel?: string, options?: { danger?: boolean }) => Promise<boolean>,
] {
  const [question, setQuestion] = useState<Question | null>(null);
  const answer = useRef<((yes: boolean) => void) | null>(null);
  const settle = (yes: boolean) => {
    answer.current?.(yes);
    answer.current = null;
    setQuestion(null);
  };
  const ask = useCallback((text: string, confirmLabel = "Confirm", options: { danger?: boolean } = {}) => {
    answer.current?.(false);
    setQuestion({ text, confirmLabel, danger: options.danger ?? true });
    return new Promise<boolean>((resolve) => (answer.current = resolve));
  }, []);
  const dialog = (
    <Dialog open={question !== null} onClose={() => settle(false)} title="Are you sure?">
      {question ? (
        <div className="space-y-4">
          <p className="text-sm">{question.text}</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => settle(false)}>
              Cancel
            </Button>
            <Button variant={question.danger ? "danger" : "primary"} onClick={() => settle(true)}>
              {question.confirmLabel}
            </Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
  return [dialog, ask];
}
