import { PromptPlayer } from '@switchboard/media';

/** What a waiting caller hears when the queue names no music of its own (or its file is gone). */
export const DEFAULT_HOLD_MUSIC = 'hold-music';

/** Music prompts are told apart from spoken ones by name: `hold-music` and `hold-music-<anything>`. */
export const isMusicPromptName = (name: string): boolean => /^hold-music(-[a-z0-9-]+)?$/.test(name);

/** The music prompts the player can play right now (the admin's choice of hold music). */
export function musicPrompts(player: PromptPlayer): string[] {
  return player.names().filter(isMusicPromptName);
}

/**
 * The admin API has no media engine (the switch may run without one); a player of its own reads the
 * same prompt directory, which the server never overrides.
 */
let catalogue: PromptPlayer | null = null;
export function promptCatalogue(): PromptPlayer {
  catalogue ??= new PromptPlayer();
  return catalogue;
}

/**
 * The music to loop for a queue: its own when set and playable, else the default — a file removed
 * after it was chosen must not leave the caller in silence.
 */
export function holdMusicFor(player: PromptPlayer, name: string | null | undefined): string {
  return name && name !== DEFAULT_HOLD_MUSIC && player.canPlay(name) ? name : DEFAULT_HOLD_MUSIC;
}
