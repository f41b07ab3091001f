/**
 * Time zones from a shared location, through the real boundary lookup (geo-tz's polygons read
 * from disk) and the rules that turn its answer into the zone we store. Each place carries
 * the zone a person there expects and its UTC offset in January and July 2025, hard-coded
 * (checked against the official rules), so a wrong zone with the right name elsewhere
 * shows up as a wrong offset and vice versa. The first eight were an hour off all year
 * when the zone came from the nearest of a list of major cities.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zonesAt } from '../../src/adapters/geo/zone-lookup.js';
import {
  isNauticalZone,
  nauticalZone,
  normalizeTimeZone,
  utcOffset,
  zoneForPoint,
} from '../../src/domain/timezones.js';

const JANUARY = new Date('2025-01-15T12:00:00Z');
const JULY = new Date('2025-07-15T12:00:00Z');

/** [place, latitude, longitude, zone, offset in January, offset in July] */
const PLACES: ReadonlyArray<readonly [string, number, number, string, string, string]> = [
  ['Amsterdam', 52.3676, 4.9041, 'Europe/Amsterdam', '+01:00', '+02:00'],
  ['Lviv', 49.8397, 24.0297, 'Europe/Kyiv', '+02:00', '+03:00'],
  ['Volgograd', 48.708, 44.5133, 'Europe/Volgograd', '+03:00', '+03:00'],
  ['Kirov', 58.6036, 49.668, 'Europe/Kirov', '+03:00', '+03:00'],
  ['Sochi', 43.6028, 39.7342, 'Europe/Moscow', '+03:00', '+03:00'],
  ['Izhevsk', 56.8526, 53.2045, 'Europe/Samara', '+04:00', '+04:00'],
  ['Orenburg', 51.7682, 55.0969, 'Asia/Yekaterinburg', '+05:00', '+05:00'],
  ['Chita', 52.0339, 113.4994, 'Asia/Chita', '+09:00', '+09:00'],
  // Russia's patchwork along the Volga and in Siberia, where neighbours differ by an hour.
  ['Kaliningrad', 54.7104, 20.4522, 'Europe/Kaliningrad', '+02:00', '+02:00'],
  ['Samara', 53.1959, 50.1002, 'Europe/Samara', '+04:00', '+04:00'],
  ['Saratov', 51.5331, 46.0342, 'Europe/Saratov', '+04:00', '+04:00'],
  ['Astrakhan', 46.3479, 48.0336, 'Europe/Astrakhan', '+04:00', '+04:00'],
  ['Ulyanovsk', 54.3142, 48.4031, 'Europe/Ulyanovsk', '+04:00', '+04:00'],
  ['Omsk', 54.9885, 73.3242, 'Asia/Omsk', '+06:00', '+06:00'],
  ['Novosibirsk', 55.0084, 82.9357, 'Asia/Novosibirsk', '+07:00', '+07:00'],
  ['Tomsk', 56.4847, 84.9482, 'Asia/Tomsk', '+07:00', '+07:00'],
  ['Kemerovo', 55.3547, 86.0873, 'Asia/Novokuznetsk', '+07:00', '+07:00'],
  // Neighbours of Russia with their own rules (Kazakhstan went to UTC+5 in March 2024).
  ['Almaty', 43.222, 76.8512, 'Asia/Almaty', '+05:00', '+05:00'],
  ['Tbilisi', 41.7151, 44.8271, 'Asia/Tbilisi', '+04:00', '+04:00'],
  ['Minsk', 53.9006, 27.559, 'Europe/Minsk', '+03:00', '+03:00'],
  ['Chisinau', 47.0105, 28.8638, 'Europe/Chisinau', '+02:00', '+03:00'],
  // The Americas: a state without DST, an Indiana split, a border city each side.
  ['Indianapolis', 39.7684, -86.1581, 'America/Indiana/Indianapolis', '-05:00', '-04:00'],
  ['Gary, Indiana', 41.5934, -87.3464, 'America/Chicago', '-06:00', '-05:00'],
  ['Phoenix', 33.4484, -112.074, 'America/Phoenix', '-07:00', '-07:00'],
  ['Tijuana', 32.5149, -117.0382, 'America/Tijuana', '-08:00', '-07:00'],
  ['El Paso', 31.7619, -106.485, 'America/Denver', '-07:00', '-06:00'],
  // Southern hemisphere: DST in January, or none at all; half-hour and 45-minute offsets.
  ['Sao Paulo', -23.5505, -46.6333, 'America/Sao_Paulo', '-03:00', '-03:00'],
  ['Santiago', -33.4489, -70.6693, 'America/Santiago', '-03:00', '-04:00'],
  ['Adelaide', -34.9285, 138.6007, 'Australia/Adelaide', '+10:30', '+09:30'],
  ['Broken Hill', -31.9539, 141.4539, 'Australia/Broken_Hill', '+10:30', '+09:30'],
  ['Brisbane', -27.4698, 153.0251, 'Australia/Brisbane', '+10:00', '+10:00'],
  ['Auckland', -36.8485, 174.7633, 'Pacific/Auckland', '+13:00', '+12:00'],
  ['Kathmandu', 27.7172, 85.324, 'Asia/Kathmandu', '+05:45', '+05:45'],
  ['Kolkata', 22.5726, 88.3639, 'Asia/Kolkata', '+05:30', '+05:30'],
];

const zoneAt = async (latitude: number, longitude: number) =>
  zoneForPoint(await zonesAt(latitude, longitude), longitude);

describe('time zone from a shared location', () => {
  it.each(PLACES)('%s (%f, %f) is %s, %s in January and %s in July', async (...place) => {
    const [, latitude, longitude, zone, january, july] = place;
    const found = await zoneAt(latitude, longitude);
    expect(found).toBe(zone);
    expect([utcOffset(found, JANUARY), utcOffset(found, JULY)]).toEqual([`UTC${january}`, `UTC${july}`]);
  });

  it('falls back to the nautical zone of the longitude at sea', async () => {
    const sea: Array<[number, number, string, string]> = [
      [30, -40, 'Etc/GMT+3', 'UTC-03:00'], // mid-Atlantic
      [-30, 80, 'Etc/GMT-5', 'UTC+05:00'], // Indian Ocean
      [0, -179.5, 'Etc/GMT+12', 'UTC-12:00'], // by the date line
      [-60, 0, 'Etc/GMT', 'UTC+00:00'], // Southern Ocean
    ];
    for (const [latitude, longitude, zone, offset] of sea) {
      const found = await zoneAt(latitude, longitude);
      expect(found, `${latitude}, ${longitude}`).toBe(zone);
      expect(isNauticalZone(found)).toBe(true);
      expect(utcOffset(found, JULY)).toBe(offset);
    }
    // The pole touches every zone; the longitude decides.
    expect(await zoneAt(90, 31)).toBe('Etc/GMT-2');
  });

  it('refuses coordinates out of range', async () => {
    await expect(zonesAt(91, 0)).rejects.toThrow(/latitude/i);
    await expect(zonesAt(0, Number.NaN)).rejects.toThrow(/longitude/i);
  });

  it('takes the first zone Intl knows, in its current spelling, over sea zones', () => {
    expect(zoneForPoint(['Etc/GMT-3', 'Europe/Kiev'], 30)).toBe('Europe/Kiev');
    expect(zoneForPoint(['Mars/Olympus_Mons', 'Asia/Shanghai', 'Asia/Urumqi'], 87)).toBe('Asia/Shanghai');
    expect(zoneForPoint([], 44)).toBe('Etc/GMT-3');
    expect(nauticalZone(-7.4)).toBe('Etc/GMT');
    expect(nauticalZone(180)).toBe('Etc/GMT-12');
    expect(nauticalZone(-180)).toBe('Etc/GMT+12');
  });

  it('knows the current spelling of every zone the lookup can return', () => {
    // geo-tz's index lists the zones of its data; ICU reports some under an older name.
    const geoTzDir = path.dirname(createRequire(import.meta.url).resolve('geo-tz/all'));
    const index = JSON.parse(
      readFileSync(path.join(geoTzDir, '..', 'data', 'timezones.geojson.index.json'), 'utf8'),
    ) as { timezones: string[] };
    expect(index.timezones.length).toBeGreaterThan(300);
    for (const zone of index.timezones) expect(normalizeTimeZone(zone.toLowerCase()), zone).toBe(zone);
  });
});

describe('typed time zones', () => {
  it('accepts IANA names in any case and returns their proper spelling', () => {
    expect(normalizeTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(normalizeTimeZone(' utc ')).toBe('UTC');
    // Our own spelling wins over ICU's canonical old names (Europe/Kiev, Asia/Calcutta).
    expect(normalizeTimeZone('europe/kyiv')).toBe('Europe/Kyiv');
    expect(normalizeTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(normalizeTimeZone('America/Argentina/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(normalizeTimeZone('Etc/GMT+3')).toBe('Etc/GMT+3');
  });

  it('refuses unknown zones, offsets and anything that is not a zone name', () => {
    for (const input of ['Mars/Base', '+03:00', 'Europe/', '', 'Europe/Berlin; drop table', 'a/b/c/d']) {
      expect(normalizeTimeZone(input), input).toBeNull();
    }
  });
});
