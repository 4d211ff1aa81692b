import { benchAppend, benchOpen } from './store.bench.js';
import { benchTimeline } from './timeline.bench.js';
import { benchCatchUp, benchReconnect } from './sync.bench.js';
import { benchLibrarySearch, benchReportExport } from './report.bench.js';
import { benchAlertToConsole, benchDeliveries } from './outside.bench.js';
import { benchArchiveExport } from './archive.bench.js';
import { benchSealed } from './sealed.bench.js';
import { benchRoom } from './room.bench.js';

/** `npm run bench`: prints figures; nothing here passes or fails. */
await benchAppend();
await benchOpen();
await benchCatchUp();
await benchReconnect();
await benchTimeline();
await benchReportExport();
benchLibrarySearch();
await benchAlertToConsole();
await benchDeliveries();
await benchArchiveExport();
await benchSealed();
await benchRoom();
