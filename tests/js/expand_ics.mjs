// Expand .ics files with Mozilla's ical.js, as Thunderbird and many web calendars do.
// usage: node expand_ics.mjs ICAL_JS_PATH FROM_ISO TO_ISO FILE...   (prints JSON lines)
// Each line: {"file", "uid", "url", "start", "end", "status"}, times in UTC; an all-day event's days as
// "YYYY-MM-DD" (a day has no instant: calendar apps show it on that date wherever they are).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [icalPath, fromIso, toIso, ...files] = process.argv.slice(2);
const ICAL = (await import(pathToFileURL(icalPath).href)).default;
const from = new Date(fromIso);
const to = new Date(toIso);

for (const file of files) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    const tz = new ICAL.Timezone(vtz);
    ICAL.TimezoneService.register(tz, tz.tzid);
  }
  const byUid = new Map();
  for (const ve of root.getAllSubcomponents("vevent")) {
    const uid = ve.getFirstPropertyValue("uid");
    if (!byUid.has(uid)) byUid.set(uid, { master: null, exceptions: [] });
    const slot = byUid.get(uid);
    if (ve.hasProperty("recurrence-id")) slot.exceptions.push(ve); else slot.master = ve;
  }
  for (const [uid, { master, exceptions }] of byUid) {
    // Without `exceptions`, ICAL.Event relates every RECURRENCE-ID in the calendar to every event,
    // whatever its UID; calendar apps group by UID first, as here (strictExceptions checks it).
    const event = new ICAL.Event(master, { strictExceptions: true, exceptions });
    const it = event.iterator();
    for (let next = it.next(), n = 0; next && n < 5000; next = it.next(), n++) {
      const d = event.getOccurrenceDetails(next);
      const start = d.startDate.toJSDate();
      if (start >= to) break;
      if (start < from) continue;
      const item = d.item.component;
      const allDay = d.startDate.isDate;
      console.log(JSON.stringify({
        file, uid, url: item.getFirstPropertyValue("url") ?? master.getFirstPropertyValue("url"),
        start: allDay ? d.startDate.toString() : start.toISOString(),
        end: allDay ? d.endDate.toString() : d.endDate.toJSDate().toISOString(),
        status: item.getFirstPropertyValue("status") ?? "",
      }));
      if (!event.isRecurring()) break;
    }
  }
}
