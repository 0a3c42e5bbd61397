import type {FormatReader} from '../types.js';
import {botframeworkReader} from './botframework.js';
import {dialogflowReader} from './dialogflow.js';
import {freshdeskReader} from './freshdesk.js';
import {gorgiasReader} from './gorgias.js';
import {intercomReader} from './intercom.js';
import {tidioReader} from './tidio.js';
import {twcsReader} from './twcs.js';
import {zendeskChatReader} from './zendesk-chat.js';
import {zendeskSupportReader} from './zendesk-support.js';

/** Readers owned by this group; ../registry.ts concatenates all groups. */
export const readers: FormatReader[] = [
	zendeskSupportReader,
	zendeskChatReader,
	intercomReader,
	botframeworkReader,
	freshdeskReader,
	tidioReader,
	gorgiasReader,
	twcsReader,
	dialogflowReader,
];
