import type {FormatReader} from '../types.js';
import {rasaReader} from './rasa.js';
import {slackReader} from './slack.js';
import {telegramReader} from './telegram.js';
import {whatsappReader} from './whatsapp.js';

export {inspectWhatsApp, listParticipants, type WhatsAppInspection} from './whatsapp.js';

/** Readers owned by this group; ../registry.ts concatenates all groups. */
export const readers: FormatReader[] = [slackReader, whatsappReader, telegramReader, rasaReader];
