/**
 * Time zones at a point from geo-tz: the polygons of timezone-boundary-builder (OpenStreetMap
 * borders, one release per tzdata change). Its "comprehensive" product is used because it
 * names the zone of each country (Europe/Amsterdam, not the Europe/Brussels it has shared
 * clocks with since 1970), which is the name a user expects to see.
 *
 * The module is imported on the first lookup, not at start-up: it parses a 1 MB index (~70 ms,
 * ~10 MB) that most daemons never need. Each lookup then reads only the piece of the 29 MB
 * polygon file it needs; decoded pieces are not kept (geo-tz would keep every one for good,
 * tens of MB over a long run) because a user shares a location about once.
 */
import type * as GeoTzModule from 'geo-tz/all';
import type { ZoneLookup } from '../../domain/ports/index.js';

type GeoTz = typeof GeoTzModule;
let loading: Promise<GeoTz> | undefined;

const noCache = { get: () => undefined, set: () => {} };

async function geoTz(): Promise<GeoTz> {
  loading ??= import('geo-tz/all').then(
    (module) => {
      module.setCache({ store: noCache });
      return module;
    },
    (error: unknown) => {
      loading = undefined; // a failed import (files missing mid-upgrade) is retried next time
      throw error;
    },
  );
  return loading;
}

export const zonesAt: ZoneLookup = async (latitude, longitude) => (await geoTz()).find(latitude, longitude);
