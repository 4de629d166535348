"use client";
// The key an admin picked in the table ("Blacklist" on a row), shared with the blacklist form
// above it: the page composes both, this carries the choice between them.
import { createContext, use, useState, type ReactNode } from "react";

export interface BlacklistTarget {
  id: string;
  name: string;
  masked: string;
  /** The owner's address, or "team <name>". */
  ownerLabel: string | null;
}

interface TargetState {
  target: BlacklistTarget | null;
  pick: (target: BlacklistTarget | null) => void;
}

const TargetContext = createContext<TargetState | null>(null);

export function BlacklistTargetProvider({ children }: { children: ReactNode }) {
  const [target, pick] = useState<BlacklistTarget | null>(null);
  return <TargetContext value={{ target, pick }}>{children}</TargetContext>;
}

export function useBlacklistTarget(): TargetState {
  const state = use(TargetContext);
  if (!state) throw new Error("useBlacklistTarget needs a <BlacklistTargetProvider> around it.");
  return state;
}
