import type { DialTask } from '@switchboard/shared';
import { useState } from 'react';

/** Which of the planning board's dialogs is open, and for which task. */
export function useTaskDialogs() {
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<DialTask | null>(null);
  const [history, setHistory] = useState<DialTask | null>(null);
  const [deleting, setDeleting] = useState<DialTask | null>(null);
  return {
    creating,
    setCreating,
    importing,
    setImporting,
    editing,
    setEditing,
    history,
    setHistory,
    deleting,
    setDeleting,
  };
}

export type TaskDialogs = ReturnType<typeof useTaskDialogs>;
