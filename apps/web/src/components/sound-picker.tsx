import type { BuiltInPromptsResponse, SoundsResponse } from '@switchboard/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/api-client';
import { Button } from './button';
import { controlClass, FormField } from './form-field';

/** Query keys of the sound library, for pages that change it. */
export const soundLibraryKeys = {
  sounds: ['sounds'] as const,
  prompts: ['sounds', 'built-in'] as const,
};

/** `enabled` false: not fetched (a read-only view of someone who may not list the library). */
export function useSoundLibrary(enabled = true) {
  return useQuery({
    queryKey: soundLibraryKeys.sounds,
    queryFn: () => api.get<SoundsResponse>('/api/admin/sounds'),
    enabled,
  });
}

export function useBuiltInPrompts(enabled = true) {
  return useQuery({
    queryKey: soundLibraryKeys.prompts,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => (await api.get<BuiltInPromptsResponse>('/api/admin/sounds/prompts')).prompts,
    enabled,
  });
}

/** Seconds to one decimal: "3.9 s". */
export function soundLength(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Where the browser fetches a prompt reference's audio: `sound:<id>` or a built-in prompt's name. */
export function soundAudioUrl(ref: string): string {
  const m = /^sound:(\d+)$/.exec(ref);
  return m ? `/api/admin/sounds/${m[1]}/audio` : `/api/admin/sounds/prompts/${encodeURIComponent(ref)}/audio`;
}

/** Plays one sound at a time in the page; `playing` is the reference being heard. */
export function useSoundPreview() {
  const audio = useRef<HTMLAudioElement | null>(null);
  const [playing, setPlaying] = useState<string | null>(null);
  const stop = () => {
    audio.current?.pause();
    audio.current = null;
    setPlaying(null);
  };
  useEffect(() => () => audio.current?.pause(), []);
  const toggle = (ref: string) => {
    if (playing === ref) return stop();
    audio.current?.pause();
    const a = new Audio(soundAudioUrl(ref));
    audio.current = a;
    setPlaying(ref);
    a.onended = () => setPlaying((p) => (p === ref ? null : p));
    a.onerror = () => setPlaying((p) => (p === ref ? null : p));
    void a.play().catch(() => setPlaying((p) => (p === ref ? null : p)));
  };
  return { playing, toggle };
}

/** A reference as a person reads it when the library does not name it. */
function refLabel(ref: string): string {
  const m = /^sound:(\d+)$/.exec(ref);
  return m ? `Uploaded sound #${m[1]}` : ref;
}

/**
 * Chooses what a prompt setting plays: the default (null), a built-in prompt by name, or an uploaded
 * sound (`sound:<id>`), grouped by folder with each one's length, and a button to listen to it.
 * `required`: there is no default — until one is chosen the field asks for it. `disabled`: shown
 * read-only, without reading the library (a supervisor may not list it).
 */
export function SoundPicker({
  label,
  value,
  onChange,
  required = false,
  disabled = false,
  className,
}: {
  label: string;
  value: string | null;
  onChange(value: string | null): void;
  required?: boolean;
  disabled?: boolean;
  className?: string;
}) {
  const library = useSoundLibrary(!disabled);
  const prompts = useBuiltInPrompts(!disabled);
  const preview = useSoundPreview();
  const sounds = library.data?.sounds ?? [];
  const folders = [...new Set(sounds.map((s) => s.folder))];
  const known =
    value === null ||
    sounds.some((s) => s.ref === value) ||
    (prompts.data ?? []).some((p) => p.name === value);
  const loading = !disabled && (library.isPending || prompts.isPending);
  return (
    <FormField
      label={label}
      className={className}
      hint={library.isError || prompts.isError ? 'The sound library cannot be read' : undefined}
    >
      {(control) => (
        <div className="flex gap-2">
          <select
            {...control}
            className={`${controlClass} min-w-0 flex-1 bg-white py-2 pr-8 pl-3`}
            value={value ?? ''}
            disabled={disabled}
            onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
          >
            {!required ? <option value="">Default</option> : null}
            {required && value === null ? <option value="">Choose a prompt or sound</option> : null}
            {!known && !loading && value !== null ? (
              <option value={value}>
                {refLabel(value)}
                {disabled ? '' : ' (missing)'}
              </option>
            ) : null}
            {folders.map((folder) => (
              <optgroup key={folder || '/'} label={`Uploaded · ${folder || 'top level'}`}>
                {sounds
                  .filter((s) => s.folder === folder)
                  .map((s) => (
                    <option key={s.id} value={s.ref}>
                      {s.name} ({soundLength(s.durationMs)})
                    </option>
                  ))}
              </optgroup>
            ))}
            {(prompts.data ?? []).length > 0 ? (
              <optgroup label="Built-in prompts">
                {(prompts.data ?? []).map((p) => (
                  <option key={p.name} value={p.name}>
                    {p.name} ({soundLength(p.durationMs)})
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
          <Button
            variant="secondary"
            // The audio is behind the same admin-only routes as the library.
            disabled={value === null || disabled}
            aria-label={`Listen to ${label.toLowerCase()}`}
            onClick={() => value && preview.toggle(value)}
          >
            {preview.playing !== null && preview.playing === value ? 'Stop' : 'Listen'}
          </Button>
        </div>
      )}
    </FormField>
  );
}
