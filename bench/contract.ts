/** What every server under test promises, shared by the peer servers and the bench's checks. */
export const HELLO_TEXT = 'Hello, Session World!';
export const SESSION_COOKIE_NAME = 'Kr.Session';
export const COUNTER_MESSAGE = 'Counter incremented';
export const SEEDED_KEY = 'color';
export const SEEDED_VALUE = 'purple';
export const SET_SEEDED_VALUE = `/session/set?key=${SEEDED_KEY}&value=${SEEDED_VALUE}`;
