/**
 * Time zones a user can set: any IANA name typed by hand, a short list to pick from, or the
 * zone whose borders contain a shared location (the lookup itself is an adapter, see
 * ports/system.ts ZoneLookup; what to make of its answer is decided here).
 */
import { isValidTimeZone } from './quota.js';

/** The zones offered as buttons, west to east. */
export const QUICK_ZONES = [
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Kyiv',
  'Europe/Moscow',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Shanghai',
  'Asia/Tokyo',
] as const;

/**
 * IANA's current names that ICU still reports under an older one (Europe/Kyiv as Europe/Kiev,
 * Asia/Kolkata as Asia/Calcutta), so Intl's list alone would give users the old spelling.
 * A test checks that every zone the location lookup can return is in Intl's list or here.
 */
const CURRENT_SPELLINGS = [
  'Africa/Asmara',
  'America/Argentina/Buenos_Aires',
  'America/Argentina/Catamarca',
  'America/Argentina/Cordoba',
  'America/Argentina/Jujuy',
  'America/Argentina/Mendoza',
  'America/Atikokan',
  'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville',
  'America/Nuuk',
  'Asia/Ho_Chi_Minh',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Yangon',
  'Atlantic/Faroe',
  'Etc/UTC',
  'Europe/Kyiv',
  'Pacific/Chuuk',
  'Pacific/Kanton',
  'Pacific/Pohnpei',
] as const;

// Letters, digits and _+- in slash-separated parts: IANA names, not "+03:00" offsets Intl also takes.
const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The IANA name for user input with its proper case ("europe/berlin" -> "Europe/Berlin"), or null
 * when Intl does not know it. Our own lists come first: ICU's canonical names are the old
 * spellings (Europe/Kiev, Asia/Calcutta), while users type and expect the current ones.
 */
export function normalizeTimeZone(input: string): string | null {
  const text = input.trim();
  if (!ZONE_SHAPE.test(text) || !isValidTimeZone(text)) return null;
  const lower = text.toLowerCase();
  const known = [...QUICK_ZONES, ...CURRENT_SPELLINGS, ...Intl.supportedValuesOf('timeZone')];
  return (
    known.find((zone) => zone.toLowerCase() === lower) ??
    new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone
  );
}

/**
 * The zone to store for a point, given the zones a boundary lookup found there (usually one;
 * two or more on a border or in a disputed area, where the first is as good as any): the
 * first one this Node knows, in its current spelling. At sea, or when none is known, the
 * nautical zone of the longitude, so the clock is at least right to the hour.
 */
export function zoneForPoint(candidates: readonly string[], longitude: number): string {
  for (const candidate of candidates) {
    if (isNauticalZone(candidate)) continue;
    const zone = normalizeTimeZone(candidate);
    if (zone !== null) return zone;
  }
  return nauticalZone(longitude);
}

/**
 * Etc/GMT-N for the 15-degree band around the longitude (N = the offset in hours, its sign
 * inverted by POSIX convention: Etc/GMT-3 is UTC+03:00), as ships keep time.
 */
export function nauticalZone(longitude: number): string {
  const hours = Math.max(-12, Math.min(12, Math.round(longitude / 15)));
  if (hours === 0) return 'Etc/GMT';
  return hours > 0 ? `Etc/GMT-${hours}` : `Etc/GMT+${-hours}`;
}

/** Whether a zone is a fixed offset with no place behind it (the sea, or a typed Etc/GMT+3). */
export function isNauticalZone(zone: string): boolean {
  return /^Etc\/(GMT|UTC)([+-]\d{1,2})?$/i.test(zone);
}

/** "UTC+03:00" / "UTC-09:30": a zone's offset from UTC at an instant. */
export function utcOffset(zone: string, at: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  return !name || name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
}
