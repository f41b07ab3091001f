/**
 * Time zones a user can set: any IANA name typed by hand, a short list to pick from, or the
 * zone of the nearest major city to a shared location. The location approach is a fixed table
 * of major cities (nearest by great-circle distance) rather than zone borders: no data files,
 * right for most people, and the user can always type the exact name afterwards.
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

/** [zone, latitude, longitude] of a major city in it. */
const CITIES: ReadonlyArray<readonly [string, number, number]> = [
  ['America/Anchorage', 61.22, -149.9],
  ['America/Los_Angeles', 34.05, -118.24],
  ['America/Denver', 39.74, -104.99],
  ['America/Phoenix', 33.45, -112.07],
  ['America/Chicago', 41.88, -87.63],
  ['America/Mexico_City', 19.43, -99.13],
  ['America/New_York', 40.71, -74.01],
  ['America/Toronto', 43.65, -79.38],
  ['America/Halifax', 44.65, -63.57],
  ['America/Bogota', 4.71, -74.07],
  ['America/Lima', -12.05, -77.04],
  ['America/Santiago', -33.45, -70.67],
  ['America/Argentina/Buenos_Aires', -34.6, -58.38],
  ['America/Sao_Paulo', -23.55, -46.63],
  ['Atlantic/Reykjavik', 64.15, -21.94],
  ['Europe/London', 51.51, -0.13],
  ['Europe/Lisbon', 38.72, -9.14],
  ['Europe/Madrid', 40.42, -3.7],
  ['Europe/Paris', 48.86, 2.35],
  ['Europe/Berlin', 52.52, 13.4],
  ['Europe/Rome', 41.9, 12.5],
  ['Europe/Warsaw', 52.23, 21.01],
  ['Europe/Stockholm', 59.33, 18.07],
  ['Europe/Helsinki', 60.17, 24.94],
  ['Europe/Athens', 37.98, 23.73],
  ['Europe/Istanbul', 41.01, 28.98],
  ['Europe/Kyiv', 50.45, 30.52],
  ['Europe/Minsk', 53.9, 27.57],
  ['Europe/Moscow', 55.76, 37.62],
  ['Europe/Samara', 53.2, 50.15],
  ['Asia/Yekaterinburg', 56.84, 60.6],
  ['Asia/Omsk', 54.99, 73.37],
  ['Asia/Novosibirsk', 55.03, 82.92],
  ['Asia/Krasnoyarsk', 56.01, 92.87],
  ['Asia/Irkutsk', 52.29, 104.28],
  ['Asia/Yakutsk', 62.03, 129.73],
  ['Asia/Vladivostok', 43.12, 131.89],
  ['Asia/Magadan', 59.56, 150.8],
  ['Asia/Kamchatka', 53.04, 158.65],
  ['Asia/Tbilisi', 41.72, 44.79],
  ['Asia/Yerevan', 40.18, 44.51],
  ['Asia/Baku', 40.41, 49.87],
  ['Asia/Tehran', 35.69, 51.39],
  ['Asia/Dubai', 25.2, 55.27],
  ['Asia/Tashkent', 41.3, 69.24],
  ['Asia/Almaty', 43.24, 76.95],
  ['Asia/Karachi', 24.86, 67.01],
  ['Asia/Kolkata', 28.61, 77.21],
  ['Asia/Dhaka', 23.81, 90.41],
  ['Asia/Bangkok', 13.76, 100.5],
  ['Asia/Jakarta', -6.21, 106.85],
  ['Asia/Singapore', 1.35, 103.82],
  ['Asia/Shanghai', 31.23, 121.47],
  ['Asia/Hong_Kong', 22.32, 114.17],
  ['Asia/Seoul', 37.57, 126.98],
  ['Asia/Tokyo', 35.68, 139.69],
  ['Australia/Perth', -31.95, 115.86],
  ['Australia/Adelaide', -34.93, 138.6],
  ['Australia/Brisbane', -27.47, 153.03],
  ['Australia/Sydney', -33.87, 151.21],
  ['Pacific/Auckland', -36.85, 174.76],
  ['Pacific/Honolulu', 21.31, -157.86],
  ['Africa/Casablanca', 33.57, -7.59],
  ['Africa/Lagos', 6.52, 3.38],
  ['Africa/Cairo', 30.04, 31.24],
  ['Africa/Nairobi', -1.29, 36.82],
  ['Africa/Johannesburg', -26.2, 28.05],
];

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
  const known = [...QUICK_ZONES, ...CITIES.map(([zone]) => zone), ...Intl.supportedValuesOf('timeZone')];
  return (
    known.find((zone) => zone.toLowerCase() === lower) ??
    new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone
  );
}

/** The zone of the major city nearest to a point (degrees), by great-circle distance. */
export function zoneFromLocation(latitude: number, longitude: number): string {
  let best = 'UTC';
  let bestDistance = Infinity;
  for (const [zone, lat, lon] of CITIES) {
    const distance = greatCircle(latitude, longitude, lat, lon);
    if (distance < bestDistance) [best, bestDistance] = [zone, distance];
  }
  return best;
}

/** Central angle between two points (haversine); comparing angles is enough to find the nearest. */
function greatCircle(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(a)));
}
