// Regenerates the sample transcripts (deterministic): node samples/generate.mjs
import {writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(rand() * list.length)];

const customers = [
	['Maria Rossi', 'maria.rossi@example.com'], ['John Carter', 'j.carter@example.org'], ['Aiko Tanaka', 'aiko.t@example.jp'],
	['Lukas Becker', 'lukas.becker@example.de'], ['Sofia Martínez', 'sofia.mtz@example.es'], ['Omar Haddad', 'omar.h@example.com'],
	['Chloé Dubois', 'chloe.dubois@example.fr'], ['Priya Nair', 'priya.nair@example.in'], ['Ben Okafor', 'ben.okafor@example.co.uk'],
	['Elena Petrova', 'elena.p@example.com'],
];
const agents = [['agent-giulia', 'Giulia (Support)'], ['agent-tom', 'Tom (Billing)'], ['agent-nadia', 'Nadia (Tech)']];
const bot = ['bot-helper', 'HelpBot'];

const scenarios = [
	{subject: 'Order not delivered', lines: [
		['end-user', 'Hi, my order #{order} still shows "in transit" after 9 days.'],
		['bot', 'Thanks for reaching out! I can help with orders. Could you confirm the order number?'],
		['end-user', 'It is {order}.'],
		['bot', 'I found it. Let me connect you with a human agent for a delivery check.'],
		['system', 'Conversation handed over to a human agent.'],
		['agent', 'Hello {first}, I am checking with the courier right now.'],
		['agent', 'The parcel was held at the local depot because the address was missing the apartment number.'],
		['end-user', 'Oh, sorry about that. It is apartment 4B.'],
		['agent', 'Updated. Delivery is rescheduled for tomorrow between 9:00 and 13:00.'],
		['end-user', 'Perfect, thank you!'],
		['agent', 'You are welcome. Anything else I can do for you?'],
		['end-user', 'No, that is all.'],
	]},
	{subject: 'Refund for a damaged item', lines: [
		['end-user', 'The mug I received arrived broken. Can I get a refund?'],
		['bot', 'Sorry to hear that! Please send a photo of the damaged item.'],
		['end-user', 'Here it is.', 'photo'],
		['system', 'Conversation handed over to a human agent.'],
		['agent', 'Thanks {first}, I can see the damage clearly.'],
		['agent', 'I have issued a full refund of €24.90 to your card. It usually appears within 5 business days.'],
		['end-user', 'Do I need to send the mug back?'],
		['agent', 'No need, please dispose of it safely.'],
		['end-user', 'Great service, thanks.'],
	]},
	{subject: 'Password reset link expired', lines: [
		['end-user', 'I asked for a password reset but the link says it expired.'],
		['bot', 'Reset links are valid for 30 minutes. Would you like a new one?'],
		['end-user', 'Yes please, but the last two also expired before I got them.'],
		['bot', 'I will ask a colleague to look into your e-mail delivery.'],
		['system', 'Conversation handed over to a human agent.'],
		['agent', 'Hi {first}, our logs show the e-mails were delayed by your provider\'s spam filter.'],
		['agent', 'I have sent a new link that lasts 24 hours. Please also check the spam folder.'],
		['end-user', 'Got it this time, I am back in. Thanks!'],
	]},
	{subject: 'Invoice with the wrong VAT number', lines: [
		['end-user', 'Our invoice INV-{order} has an old VAT number on it.'],
		['agent', 'Hello {first}, I can regenerate it. What is the correct VAT number?'],
		['end-user', 'IT0{order}1 — and the company name is unchanged.'],
		['agent', 'Done. The corrected invoice is attached to your account under Billing > Invoices.'],
		['end-user', 'Can you also e-mail it to accounting@example.com?'],
		['agent', 'Sent. Anything else?'],
		['end-user', 'That is everything, have a good day.'],
	]},
	{subject: 'Cannot connect the mobile app', lines: [
		['end-user', 'The app keeps saying "network error" on login, but the website works.'],
		['bot', 'Please try updating the app to the latest version and restart your phone.'],
		['end-user', 'Already did both.'],
		['system', 'Conversation handed over to a human agent.'],
		['agent', 'Hi {first}, which phone and app version are you using?'],
		['end-user', 'Android 14, app version 3.2.1.'],
		['agent', 'Thanks. Version 3.2.1 has a known issue with some VPNs. Are you using a VPN?'],
		['end-user', 'Yes! Turning it off fixed it.\nWill it be fixed properly?'],
		['agent', 'Yes, version 3.2.2 with the fix is rolling out this week.'],
		['end-user', 'Great, thanks for the quick help.'],
	]},
];

function conversations(count, startMs, prefix) {
	const out = [];
	for (let i = 0; i < count; i++) {
		const [name, email] = customers[i % customers.length];
		const first = name.split(' ')[0];
		const scenario = scenarios[(i * 3 + prefix.length) % scenarios.length];
		const [agentId, agentName] = pick(agents);
		const order = String(100000 + Math.floor(rand() * 899999));
		const customerId = `cust-${prefix}-${100 + i}`;
		let t = startMs + i * 3_600_000 * 7 + Math.floor(rand() * 3_600_000);
		const messages = scenario.lines.map(([role, template, extra], j) => {
			t += 15_000 + Math.floor(rand() * 120_000);
			const text = template.replaceAll('{first}', first).replaceAll('{order}', order);
			const [senderId, senderName] = role === 'end-user' ? [customerId, name] : role === 'agent' ? [agentId, agentName] : role === 'bot' ? bot : ['system', 'System'];
			const m = {id: `${prefix}-${i + 1}-${j + 1}`, senderId, senderName, role, text, timestamp: new Date(t).toISOString()};
			if (extra === 'photo') m.attachments = [{name: 'broken-mug.jpg', url: `https://files.example.com/uploads/${order}/broken-mug.jpg`, mimeType: 'image/jpeg'}];
			return m;
		});
		out.push({id: `${prefix}-${1000 + i}`, requester: {id: customerId, name, email}, subject: scenario.subject, language: 'en', messages});
	}
	return out;
}

const csvCell = (v) => (/[",\n;\t]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

// JSON: { conversations: [...] }
const jsonConvs = conversations(12, Date.UTC(2025, 2, 3, 8), 'web');
writeFileSync(join(here, 'support-chats.json'), `${JSON.stringify({conversations: jsonConvs}, null, 2)}\n`);

// JSONL: one message per line, two conversations interleaved at a time.
const jsonlConvs = conversations(8, Date.UTC(2025, 4, 12, 9), 'chat');
const rows = [];
for (let k = 0; k < jsonlConvs.length; k += 2) {
	const a = jsonlConvs[k].messages.map((m) => ({c: jsonlConvs[k], m}));
	const b = (jsonlConvs[k + 1]?.messages ?? []).map((m) => ({c: jsonlConvs[k + 1], m}));
	for (let j = 0; j < Math.max(a.length, b.length); j++) {
		if (a[j]) rows.push(a[j]);
		if (b[j]) rows.push(b[j]);
	}
}
writeFileSync(join(here, 'support-chats.jsonl'), rows.map(({c, m}) => JSON.stringify({conversationId: c.id, subject: c.subject, requesterEmail: c.requester.email, ...m})).join('\n') + '\n');

// CSV (comma; multi-line messages are quoted; epoch-free ISO times with offset).
const csvConvs = conversations(8, Date.UTC(2025, 6, 1, 7), 'tk');
const header = ['Ticket ID', 'Sent At', 'Sender', 'Sender Name', 'Role', 'Message', 'Email', 'Subject'];
const csvLines = [header.join(',')];
for (const c of csvConvs) for (const m of c.messages) {
	csvLines.push([c.id, m.timestamp, m.senderId, m.senderName, m.role, m.text, c.requester.email, c.subject].map(csvCell).join(','));
}
writeFileSync(join(here, 'support-chats.csv'), csvLines.join('\n') + '\n');

// Semicolon CSV from a European helpdesk: zone-less local times ("YYYY-MM-DD HH:mm:ss").
const semiConvs = conversations(6, Date.UTC(2025, 9, 20, 6), 'hd');
const semi = ['conversation_id;time;from;name;type;body;email'];
for (const c of semiConvs) for (const m of c.messages) {
	const local = m.timestamp.replace('T', ' ').slice(0, 19);
	const type = {'end-user': 'visitor', agent: 'operator', bot: 'automation', system: 'system'}[m.role];
	semi.push([c.id, local, m.senderId, m.senderName, type, m.text, c.requester.email].map(csvCell).join(';'));
}
writeFileSync(join(here, 'helpdesk-export.csv'), semi.join('\n') + '\n');
