import {botframeworkReader} from './botframework.js';
import {freshdeskReader} from './freshdesk.js';
import {intercomReader} from './intercom.js';
import {zendeskChatReader} from './zendesk-chat.js';
import {zendeskSupportReader} from './zendesk-support.js';
import type {FormatReader} from '../types.js';

/** Readers owned by this group; ../registry.ts concatenates all groups. */
export const readers: FormatReader[] = [zendeskSupportReader, zendeskChatReader, intercomReader, botframeworkReader, freshdeskReader];
