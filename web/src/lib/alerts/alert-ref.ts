/**
 * An alert's short reference, as operators say it over the radio or write it in a log
 * ("l'alerte 3F9A2C"): the first six hexadecimal digits of its id, upper case. Two alerts
 * with the same title in the same zone are told apart by it in the queue; the queue's search
 * finds an alert by it.
 */
export const alertRef = (id: string): string => id.replace(/[^0-9a-z]/gi, '').slice(0, 6).toUpperCase();
