import { CalendarEventInput, circlePerimeter, type CalendarEvent } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/http.ts';
import { blocking, emptyForm, formChanged, formFieldOf, formFromEvent, formHints, formLocation, formRadius, formToBody, hintText, serverErrors, type EventForm } from './event-form.ts';

const PARIS = 'Europe/Paris';
const velodrome = { lat: 43.2699, lon: 5.3959 };
const stored: CalendarEvent = {
  id: 'ev-1', uid: null, title: 'OM – Nice', kind: 'match', venue: 'Stade Vélodrome', location: velodrome,
  perimeter: { type: 'Polygon', coordinates: [[[5.389, 43.266], [5.403, 43.266], [5.403, 43.274], [5.389, 43.274], [5.389, 43.266]]] },
  startsAt: '2026-10-24T19:00:00.000Z', endsAt: '2026-10-25T01:30:00.000Z', expectedAttendance: 60000, arrivalMinutes: 120, departureMinutes: 60,
  createdAt: '2026-10-01T08:00:00.000Z', updatedAt: '2026-10-02T08:00:00.000Z',
};
const demo: EventForm = {
  title: 'Manifestation', kind: 'demonstration', venue: 'Vieux-Port', lat: '43,2951', lon: '5.3740', radius: '',
  startsAt: '2026-03-28T20:00', endsAt: '2026-03-29T02:30', expectedAttendance: '3 000', arrivalMinutes: '30', departureMinutes: '60',
};

describe('the event form and the calendar API body', () => {
  it('starts a new event at the next full hour on the city clock, for two hours', () => {
    const f = emptyForm(Date.parse('2026-07-14T16:12:00Z'), PARIS);
    expect(f).toMatchObject({ startsAt: '2026-07-14T19:00', endsAt: '2026-07-14T21:00', arrivalMinutes: '120', departureMinutes: '60', title: '', kind: '' });
  });

  it('turns a form typed in French into a body the server takes: city times to UTC over the March change, a perimeter of the kind\'s radius', () => {
    const body = formToBody(demo, PARIS);
    expect(CalendarEventInput.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      title: 'Manifestation', kind: 'demonstration', venue: 'Vieux-Port', location: { lat: 43.2951, lon: 5.374 },
      // 20:00 winter time, and 02:30 in the skipped hour, taken as 03:30 summer time
      startsAt: '2026-03-28T19:00:00.000Z', endsAt: '2026-03-29T01:30:00.000Z', expectedAttendance: 3000, arrivalMinutes: 30, departureMinutes: 60,
    });
    expect(body.perimeter).toEqual(circlePerimeter({ lat: 43.2951, lon: 5.374 }, 800));
    expect(formToBody({ ...demo, radius: '250' }, PARIS).perimeter).toEqual(circlePerimeter({ lat: 43.2951, lon: 5.374 }, 250));
  });

  it('shows a stored event on the city clock (a night that ends after the October change) and sends it back unchanged, its drawn perimeter kept', () => {
    const f = formFromEvent(stored, PARIS);
    expect(f).toMatchObject({ startsAt: '2026-10-24T21:00', endsAt: '2026-10-25T02:30', lat: '43.2699', lon: '5.3959', expectedAttendance: '60000' });
    const body = formToBody(f, PARIS, stored);
    // 02:30 is shown twice that night: this event's end is the second (winter time), kept as long as it is not retyped.
    expect(body).toMatchObject({ startsAt: stored.startsAt, endsAt: stored.endsAt, perimeter: stored.perimeter });
    expect(formHints(f, PARIS, stored).endsAt).toEqual({ key: 'calendar.form.clock.repeated', params: { time: '02:30', offset: 'UTC+1' }, info: true });
    // A new 02:30 that night is the first one (summer time).
    expect(formToBody({ ...f, endsAt: '2026-10-25T02:30' }, PARIS).endsAt).toBe('2026-10-25T00:30:00.000Z');
    expect(formHints(f, PARIS).endsAt).toMatchObject({ params: { time: '02:30', offset: 'UTC+2' } });
    // Moving the venue (or the radius) draws a circle there instead.
    const moved = formToBody({ ...f, lat: '43.3' }, PARIS, stored);
    expect(moved.perimeter).toEqual(circlePerimeter({ lat: 43.3, lon: 5.3959 }, Number(f.radius)));
  });

  it('sends what is missing or wrong as it is, for the server to name', () => {
    const body = formToBody({ ...demo, title: '', kind: '', lat: '', lon: '', expectedAttendance: 'beaucoup', startsAt: '' }, PARIS);
    expect(body).toMatchObject({ title: '', expectedAttendance: 'beaucoup' });
    expect(body).not.toHaveProperty('kind');
    expect(body).not.toHaveProperty('location');
    expect(body).not.toHaveProperty('perimeter');
    expect(body).not.toHaveProperty('startsAt');
  });

  it('hints before sending: missing fields, no location, not a number, an end before the start, a time in the skipped hour', () => {
    const hints = formHints({ ...demo, title: ' ', lat: '', lon: '', expectedAttendance: 'beaucoup', startsAt: '2026-03-29T02:30', endsAt: '2026-03-29T01:00' }, PARIS);
    expect(hints).toMatchObject({
      title: { key: 'calendar.form.required' }, lat: { key: 'calendar.form.pickLocation' }, expectedAttendance: { key: 'calendar.form.expect.attendance' },
      startsAt: { key: 'calendar.form.clock.skipped', params: { time: '03:30', offset: 'UTC+2' }, info: true }, endsAt: { key: 'calendar.form.endsAfterStart' },
    });
    expect(hints).not.toHaveProperty('lon');
    expect(blocking(hints)).toEqual(expect.arrayContaining(['title', 'lat', 'expectedAttendance', 'endsAt']));
    expect(blocking(hints)).not.toContain('startsAt');
    expect(formHints(demo, PARIS)).toEqual({ endsAt: expect.objectContaining({ key: 'calendar.form.clock.skipped' }) });
    expect(blocking(formHints(demo, PARIS))).toEqual([]);
  });

  it('says what each number takes, in French and English, and sends none it would have to change (a negative radius, a count in words)', () => {
    const bad = { ...demo, radius: '-5', expectedAttendance: 'beaucoup', arrivalMinutes: '', departureMinutes: '2000', lat: '95', lon: '5,37' };
    const hints = formHints(bad, PARIS);
    expect(Object.fromEntries(Object.entries(hints).filter(([, h]) => !h.info).map(([k, h]) => [k, hintText('fr', h)]))).toEqual({
      radius: 'un rayon en mètres, plus grand que 0 et d’au plus 20\u202f000 (vide\u00a0: celui du type)',
      expectedAttendance: 'un nombre entier de personnes, de 0 à 10\u202f000\u202f000',
      arrivalMinutes: 'un nombre entier de minutes, de 0 à 1\u202f440',
      departureMinutes: 'un nombre entier de minutes, de 0 à 1\u202f440',
      lat: 'une latitude en degrés, de -90 à 90',
    });
    expect(hintText('en', hints.expectedAttendance!)).toBe('a whole number of people, from 0 to 10,000,000');
    expect(hintText('en', hints.radius!)).toBe('a radius in metres, more than 0 and at most 20,000 (empty: the kind’s)');
    // Zero, a radius too big, and a count of people that is not whole, written the English way, or with a decimal point.
    for (const radius of ['0', '20001', '1e3', '5 km']) expect(formHints({ ...demo, radius }, PARIS).radius?.key).toBe('calendar.form.expect.radius');
    for (const n of ['3,000', '3.5', '-1', '1e3', '10000001']) expect(formHints({ ...demo, expectedAttendance: n }, PARIS).expectedAttendance?.key).toBe('calendar.form.expect.attendance');
    // What the form takes: a decimal comma, spaces between thousands (a narrow no-break space too), a radius left empty (the kind's).
    const fine = formHints({ ...demo, radius: '250,5', expectedAttendance: '12\u202f000', lat: '43,29', lon: '−0,5' }, PARIS);
    expect(blocking(fine)).toEqual([]);
    expect(formToBody({ ...demo, radius: '250,5', expectedAttendance: '12\u202f000', lon: '−0,5' }, PARIS)).toMatchObject({ expectedAttendance: 12000, location: { lon: -0.5 }, perimeter: circlePerimeter({ lat: 43.2951, lon: -0.5 }, 250.5) });
    // The radius drawn: the one typed when the form takes it, the kind's when empty, none otherwise.
    expect([formRadius(demo), formRadius({ ...demo, radius: '250' }), formRadius({ ...demo, radius: '-5' }), formRadius({ ...demo, kind: '' })]).toEqual([800, 250, null, null]);
    // A stored event wider than the form takes (an .ics file's X-VIGIE-RADIUS) is edited without redrawing it; a new radius is checked.
    const wide = { ...stored, perimeter: circlePerimeter(velodrome, 25_000) };
    const wideForm = formFromEvent(wide, PARIS);
    expect(formHints(wideForm, PARIS, wide).radius).toBeUndefined();
    expect(formToBody(wideForm, PARIS, wide).perimeter).toEqual(wide.perimeter);
    expect(formHints({ ...wideForm, radius: '30000' }, PARIS, wide).radius?.key).toBe('calendar.form.expect.radius');
    expect([formLocation({ ...demo, lon: '−0,5' }), formLocation({ ...demo, lat: '95' }), formLocation({ ...demo, lon: '' })]).toEqual([{ lat: 43.2951, lon: -0.5 }, null, null]);
    // Only one coordinate typed: that field says what it takes, not "click on the map".
    expect(formHints({ ...demo, lon: '' }, PARIS)).toMatchObject({ lon: { key: 'calendar.form.expect.lon', params: { min: -180, max: 180 } } });
  });

  it('says before sending, and in French when the server says it, that an event ends at most 92 days after it starts (a year typed wrong)', () => {
    const f = { ...demo, startsAt: '2026-11-29T18:00', endsAt: '2062-11-29T21:00' };
    expect(formHints(f, PARIS).endsAt).toEqual({ key: 'calendar.form.tooLong', params: { days: 92 } });
    expect(formHints({ ...f, endsAt: '2027-02-28T18:00' }, PARIS).endsAt).toBeUndefined();
    const err = new ApiError(400, 'VIGIE_VALIDATION', 'endsAt: must be at most 92 days after startsAt', { issues: [
      { field: 'endsAt', message: 'must be at most 92 days after startsAt', reason: { key: 'too_big', limit: 92 } },
    ] });
    expect(serverErrors(err, 'fr').fields.endsAt).toBe('au plus 92 jours après le début');
    expect(serverErrors(err, 'en').fields.endsAt).toBe('at most 92 days after the start');
  });

  it('puts the server\'s complaints next to the fields they name, in French', () => {
    const err = new ApiError(400, 'VIGIE_VALIDATION', 'title: too short', { issues: [
      { field: 'title', message: 'Too small', reason: { key: 'too_short', limit: 1 } },
      { field: 'location.lat', message: 'Too big', reason: { key: 'too_big', limit: 90 } },
      { field: 'expectedAttendance', message: 'Invalid input: expected number, received string', reason: { key: 'type' } },
      { field: 'perimeter', message: 'required', reason: { key: 'required' } },
      { field: 'endsAt', message: 'must be after startsAt', reason: { key: 'invalid' } },
      { field: 'kind', message: 'Invalid option', reason: { key: 'one_of', values: ['match', 'concert'] } },
      { field: 'other', message: 'unknown field', reason: { key: 'unknown_field' } },
    ] });
    expect(serverErrors(err, 'fr')).toEqual({
      fields: {
        title: 'obligatoire', lat: 'une latitude en degrés, de -90 à 90', expectedAttendance: 'un nombre entier de personnes, de 0 à 10\u202f000\u202f000',
        radius: 'obligatoire', endsAt: 'doit être après le début', kind: 'une valeur parmi\u00a0: Match, Concert',
      },
      general: 'other\u00a0: champ inconnu',
    });
    expect(serverErrors(err, 'en').fields.endsAt).toBe('must be after the start');
    expect(serverErrors(new ApiError(403, 'VIGIE_FORBIDDEN', 'your role does not allow this'), 'fr')).toEqual({ fields: {}, general: 'Refusé par le serveur (VIGIE_FORBIDDEN)\u00a0: Votre rôle ne permet pas cette action' });
    expect(formFieldOf('location.lon')).toBe('lon');
    expect(formFieldOf('perimeter.coordinates.0')).toBe('radius');
  });

  it('knows when it was changed', () => {
    expect(formChanged(demo, { ...demo })).toBe(false);
    expect(formChanged(demo, { ...demo, title: 'x' })).toBe(true);
  });
});
