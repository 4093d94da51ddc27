import { describe, expect, it } from 'vitest';
import { splitScript, splitSentencesOf } from './script-parts';

describe('splitScript', () => {
  it('puts the greeting sentence with variables in the personal part and the rest in the shared part', () => {
    const p = splitScript('Hi {{first_name}}, thanks for your time at {{company|your company}}! We help sales teams reply faster. Talk soon.');
    expect(p).toEqual({
      personal: 'Hi {{first_name}}, thanks for your time at {{company|your company}}!',
      shared: 'We help sales teams reply faster. Talk soon.',
      sharedVariables: [],
      reusable: true,
    });
  });

  it('takes every leading sentence that has a variable, and stops at the first without', () => {
    const p = splitScript('Chào anh {{first_name}}. Em là Lan bên {{sender_company|công ty}}. Em gửi anh video ngắn này. Cảm ơn anh {{first_name}}.');
    expect(p.personal).toBe('Chào anh {{first_name}}. Em là Lan bên {{sender_company|công ty}}.');
    expect(p.shared).toBe('Em gửi anh video ngắn này. Cảm ơn anh {{first_name}}.');
    expect(p.sharedVariables).toEqual(['first_name']);
    expect(p.reusable).toBe(false);
  });

  it('is not reusable without a personal part or without a shared part', () => {
    expect(splitScript('Hello there. Hi {{first_name}}.')).toMatchObject({ personal: '', reusable: false, sharedVariables: ['first_name'] });
    expect(splitScript('Hi {{first_name}}!')).toMatchObject({ personal: 'Hi {{first_name}}!', shared: '', reusable: false });
    expect(splitScript('No variables at all. None.')).toMatchObject({ personal: '', shared: 'No variables at all. None.', reusable: false });
  });

  it('does not cut at dots inside variables, numbers, addresses or common abbreviations', () => {
    expect(splitSentencesOf('Hi {{company|Acme Inc. Ltd}} team. Mr. Smith paid 3.5 million at example.com today. Văn phòng ở TP. Hồ Chí Minh. Xong!')).toEqual([
      'Hi {{company|Acme Inc. Ltd}} team.',
      'Mr. Smith paid 3.5 million at example.com today.',
      'Văn phòng ở TP. Hồ Chí Minh.',
      'Xong!',
    ]);
  });

  it('ends sentences at ?!… with closing quotes, and at line breaks', () => {
    expect(splitSentencesOf('Ready?" she asked… Yes!\nNew line without stop\nlast')).toEqual(['Ready?"', 'she asked…', 'Yes!', 'New line without stop', 'last']);
  });
});
