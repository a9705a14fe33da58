/** An uploaded sound in the library (8 kHz G.711 μ-law WAV), in a folder, with its length. */
export interface Sound {
  id: number;
  /** `''` for the top level, else like `callback` or `ivr/main`. */
  folder: string;
  name: string;
  durationMs: number;
  sizeBytes: number;
  originalName: string | null;
  createdAt: number;
  /** What a prompt setting names to play it (`sound:<id>`). */
  ref: string;
}

/** `GET /api/admin/sounds`. */
export interface SoundsResponse {
  sounds: Sound[];
  folders: string[];
}

/** A prompt the product ships; a prompt setting names it by `name`. */
export interface BuiltInPrompt {
  name: string;
  durationMs: number;
}

/** `GET /api/admin/sounds/prompts`. */
export interface BuiltInPromptsResponse {
  prompts: BuiltInPrompt[];
}
