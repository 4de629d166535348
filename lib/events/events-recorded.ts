// A nudge, in this process, that key events were just committed: the dispatcher (lib/dispatch)
// turns them into notices and webhook deliveries at once instead of at its next tick. Losing a
// nudge loses nothing (the events are in the database); it only costs latency. Kept on
// globalThis: the routes and the gate are bundled apart from the dispatcher's start-up code.

type Listener = () => void;
const KEY = Symbol.for("keyward.events-recorded");
const listeners: Set<Listener> = ((globalThis as { [KEY]?: Set<Listener> })[KEY] ??= new Set());

export function onEventsRecorded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Call after the transaction that recorded events has committed. */
export function eventsRecorded(): void {
  for (const listener of listeners) listener();
}
