import type { BuiltinTemplate } from './templates.repository';

type Entry = Omit<BuiltinTemplate, 'key' | 'version' | 'language'> & { slug: string };

/*
 * The built-in English library. Each script opens with one personal sentence (the variables) and goes on
 * with a shared part free of variables, so a campaign renders the shared part once (splitScript).
 * 60–90 words: 20–40 s spoken. Custom columns used with fallbacks: topic, role, team, property, area.
 */
export const EN: Entry[] = [
  {
    slug: 'cold_outreach',
    use_case: 'sales',
    name: 'Cold outreach: first touch',
    description: 'A first message to someone you have not spoken with yet: who you are, why them, one small ask.',
    script:
      "Hi {{first_name|there}}, I recorded this short video just for you and the team at {{company|your company}}. I'll keep it to about thirty seconds. I work with teams like yours who lose too many hours to tasks that could simply run by themselves. Most of them get several hours a week back for every person on the team, within the first month. I'm not asking for a big commitment, just fifteen minutes to see if it fits. If that sounds interesting, reply to this email and pick a time that suits you. Thanks for watching!",
    subject: 'A 30-second video for {{first_name|you}}',
    body: "Hi {{first_name|there}},\n\nI recorded a short video for you instead of sending another long email:\n\n{{video}}\n\nIf it makes sense, just reply with a time that suits you for a 15-minute call.\n\nBest regards",
    poster_caption: 'For {{first_name|you}} at {{company|your team}}',
  },
  {
    slug: 'follow_up',
    use_case: 'sales',
    name: 'Sales follow-up',
    description: 'A friendly nudge after a message that got no answer, with two easy ways to say yes.',
    script:
      "Hi {{first_name|there}}, I'm following up on my last message to you at {{company|your company}}. I know inboxes get busy, so here's a quick video instead of another long email. The short version: we can take a slow, manual part of your week and make it run on its own, without changing the tools you already use. I'd love to show you in a short call, or I can send you a two-minute recording if that's easier. Just reply and tell me which you prefer. Thanks, and talk soon.",
    subject: 'A quick follow-up for {{first_name|you}}',
    body: "Hi {{first_name|there}},\n\nA quick follow-up on my last email, this time as a short video:\n\n{{video}}\n\nWould a 15-minute call or a 2-minute recording suit you better? Just reply with one word.\n\nThanks",
    poster_caption: 'A follow-up for {{first_name|you}}',
  },
  {
    slug: 'product_demo',
    use_case: 'sales',
    name: 'Product demo invitation',
    description: 'Before a demo: what the call covers, that there is nothing to prepare, and how to book it.',
    script:
      "Hi {{first_name|there}}, thanks for your interest in a demo for {{company|your team}}. Before we meet, I wanted to show you what to expect. In twenty minutes, I'll walk you through the three things our customers use every day, with examples close to your own work. Then we'll leave plenty of time for your questions, and I'll show you the pricing that fits a team of your size. There's nothing to prepare. Just pick a time with the link in this email, and I'll send a calendar invite right away. See you soon!",
    subject: 'Before your demo: a short video for {{first_name|you}}',
    body: 'Hi {{first_name|there}},\n\nHere is a short video about the demo:\n\n{{video}}\n\nPick a time that suits you and I will send the invitation straight away.\n\nSee you soon',
    poster_caption: 'Your demo: what to expect',
  },
  {
    slug: 'onboarding',
    use_case: 'customer_success',
    name: 'Welcome and onboarding',
    description: 'The first week of a new customer: a named contact, three first steps, a same-day answer.',
    script:
      "Hi {{first_name|there}}, welcome aboard, and thank you for choosing us at {{company|your company}}! I'm your point of contact, and I'll help you get set up during your first week. Start with the three steps in this email: invite your team, connect your account, and try your first project. Most teams are done in under an hour. If anything is unclear, reply to this email, and I'll get back to you the same day. I'm really glad to have you with us, and I can't wait to see what you build.",
    subject: 'Welcome aboard, {{first_name|and thank you}}! Your first steps',
    body: 'Hi {{first_name|there}},\n\nWelcome! A short video from me:\n\n{{video}}\n\nYour first three steps:\n1. Invite your team\n2. Connect your account\n3. Try your first project\n\nReply any time; I answer the same day.',
    poster_caption: 'Welcome aboard, {{first_name|and thank you}}!',
  },
  {
    slug: 'support_answer',
    use_case: 'customer_success',
    name: 'Support answer',
    description: 'Answer a support request face to face; the exact steps go in the email. Optional column: topic.',
    script:
      "Hi {{first_name|there}}, thanks for reaching out about {{topic|the problem you ran into}}. I wanted to answer with a quick video, so this feels less like a ticket and more like a conversation. The good news is that we can fix this together in a few minutes. I've put the exact steps in the email, right below this video. Follow them in order, then refresh the page, and everything should work as expected. If it still doesn't, just reply with a screenshot, and I'll look into it myself. Thanks for your patience!",
    subject: 'Re: {{topic|your question}}: a quick video answer',
    body: 'Hi {{first_name|there}},\n\nHere is my answer as a short video:\n\n{{video}}\n\nThe steps:\n1. …\n2. …\n3. Refresh the page.\n\nStill stuck? Reply with a screenshot and I will look into it myself.',
    poster_caption: 'An answer for {{first_name|you}}',
  },
  {
    slug: 'thank_you',
    use_case: 'customer_success',
    name: 'Thank you',
    description: 'A personal thank-you to a customer, with an open door for feedback.',
    script:
      "Hi {{first_name|there}}, I just wanted to say a personal thank you to you and everyone at {{company|your team}}. It's been a real pleasure working with you this year. Your feedback has shaped a lot of what we built, and several of the improvements you asked for are already live. We don't take your trust for granted. If there's anything we could do better, I'd genuinely love to hear it, so reply any time. Thanks again, and I'm looking forward to what we'll do together next.",
    subject: 'A personal thank-you for {{first_name|you}}',
    body: 'Hi {{first_name|there}},\n\nA short thank-you from me:\n\n{{video}}\n\nIf there is anything we could do better, just reply.\n\nWarm regards',
    poster_caption: 'Thank you, {{first_name|from all of us}}!',
  },
  {
    slug: 'offer',
    use_case: 'hr',
    name: 'Job offer',
    description: 'Tell a candidate they got the job, before they read the letter. Optional column: role.',
    script:
      "Hi {{first_name|there}}, congratulations: we'd love you to join us as {{role|a member of the team}}! I'm delighted to be the one telling you. Everyone you met was impressed, and we're sure you'd be a wonderful addition to the team. You'll find the written offer attached to this email, with the salary, the benefits and the start date. Take the time you need to read it, and ask me anything at all; I'd be happy to set up a call. We really hope you'll say yes!",
    subject: 'Good news for {{first_name|you}}: your offer',
    body: 'Hi {{first_name|there}},\n\nI have good news, and I wanted to tell you in person:\n\n{{video}}\n\nThe written offer is attached. Take your time, and send me any question.\n\nKind regards',
    poster_caption: 'Congratulations, {{first_name|and welcome}}!',
  },
  {
    slug: 'welcome_aboard',
    use_case: 'hr',
    name: 'Welcome aboard (new hire)',
    description: 'Before the first day: who meets them, what happens, what to bring. Optional column: team.',
    script:
      "Hi {{first_name|there}}, welcome to {{team|the team}}! We're all really happy you're joining us. On your first day, someone will meet you at reception at nine and show you around. You'll have lunch with the team, get your laptop and accounts set up, and meet your buddy, who'll help you with anything during your first weeks. There's not much to prepare; just bring an ID for the paperwork. If you have any questions before then, reply to this email. See you very soon!",
    subject: 'Your first day with us: a video for {{first_name|you}}',
    body: 'Hi {{first_name|there}},\n\nWe are looking forward to your first day. A short video about it:\n\n{{video}}\n\nBring an ID for the paperwork; everything else is ready for you.\n\nSee you soon',
    poster_caption: 'Welcome aboard, {{first_name|new colleague}}!',
  },
  {
    slug: 'property_tour',
    use_case: 'real_estate',
    name: 'Property tour invitation',
    description: 'Invite a buyer to a viewing, with what makes the place special. Optional column: property.',
    script:
      "Hi {{first_name|there}}, thanks for your interest in {{property|the property}}. I'd love to show you around in person. It's bright and quiet, with lots of natural light in the living room and a kitchen that has just been renovated. There are schools, a market and a park within a few minutes' walk, and it's an easy trip into the city center. Viewings fill up quickly at this time of year, so reply to this email with a couple of times that suit you, and I'll confirm right away. Looking forward to meeting you!",
    subject: '{{property|The property}}: a video tour invitation for {{first_name|you}}',
    body: 'Hi {{first_name|there}},\n\nA short video about {{property|the property}}:\n\n{{video}}\n\nReply with two or three times that suit you for a viewing and I will confirm straight away.\n\nBest regards',
    poster_caption: '{{property|Your next home}}',
  },
  {
    slug: 'follow_up',
    use_case: 'real_estate',
    name: 'After the viewing',
    description: 'Follow up after a viewing while it is fresh, and offer the next step. Optional column: property.',
    script:
      "Hi {{first_name|there}}, it was great to meet you at the viewing of {{property|the property}}. I hope you got a good feel for the place. I wanted to follow up while it's still fresh in your mind. A few people have asked about it since, so if you're still interested, now is a good time to talk about next steps. I'm happy to answer any question about the price, the paperwork or the area, and I can arrange a second visit if you'd like another look. Just reply to this email or give me a call. Thanks again for your time!",
    subject: 'After your visit: a short video for {{first_name|you}}',
    body: 'Hi {{first_name|there}},\n\nThank you for coming to the viewing. A short video:\n\n{{video}}\n\nShall I book a second visit, or send you the documents? Just reply.\n\nBest regards',
    poster_caption: 'For {{first_name|you}}, after your visit',
  },
  {
    slug: 'market_update',
    use_case: 'real_estate',
    name: 'Market update',
    description: 'A short update on the local market, with the numbers in the email and an offer of a free estimate. Optional column: area.',
    script:
      "Hi {{first_name|there}}, here's your quick market update for {{area|your area}}. I've looked at every home that sold nearby over the last three months, so you don't have to. You'll find the key numbers in the email below this video: the average price, how long homes are taking to sell, and how many are on the market right now. Whether you're thinking of selling, buying, or you're just curious, it's good to know where things stand. If you'd like a free estimate of what your home is worth today, just reply, and I'll prepare one for you.",
    subject: 'Market update for {{area|your area}}',
    body: 'Hi {{first_name|there}},\n\nYour market update, in a short video:\n\n{{video}}\n\nLast three months:\n- Average price: …\n- Average time to sell: …\n- Homes on the market: …\n\nReply for a free estimate of your home.',
    poster_caption: 'Market update: {{area|your area}}',
  },
];
