/**
 * The value order of the events spoor.js captures by itself (src/layouts.json): the same as their
 * layouts in conf/spoor.conf (spoor.ingest.compact.layouts), whose schemas are in conf/schemas/dev.spoor/.
 * The collector's TrackerLayoutsTest checks the two agree.
 */
import layouts from "./layouts.json";

export const BUILT_IN_LAYOUTS: Record<string, string[]> = layouts;
