import { describe, expect, it } from 'vitest';
import { renderTemplate, requiredVariables, templateVariables, variableName } from './variables';

describe('template variables', () => {
  it('finds variables with and without fallbacks, ignoring spaces and case', () => {
    const vars = templateVariables('Hi {{ First_Name }}, from {{company|your team}} and {{x|}}');
    expect(vars.map((v) => [v.name, v.fallback])).toEqual([
      ['first_name', null],
      ['company', 'your team'],
      ['x', ''],
    ]);
    expect(vars[0]!.start).toBe(3);
  });

  it('lists only the variables that need a value', () => {
    expect(requiredVariables('{{first_name}} {{company|us}} {{first_name}} {{title}}')).toEqual(['first_name', 'title']);
  });

  it('fills values, uses the fallback for absent or blank values, and reports what is missing', () => {
    expect(renderTemplate('Chào {{first_name}}, {{company|đội của bạn}}!', { first_name: 'Lan', company: '  ' })).toEqual({
      text: 'Chào Lan, đội của bạn!',
      missing: [],
    });
    expect(renderTemplate('Hi {{first_name}}, welcome to {{company}}.', { company: 'Contoso' })).toEqual({
      text: 'Hi, welcome to Contoso.',
      missing: ['first_name'],
    });
  });

  it('leaves text that only looks like a variable alone', () => {
    expect(renderTemplate('{{ 1bad }} {single} {{}}', {}).text).toBe('{{ 1bad }} {single} {{}}');
  });

  it('normalises column headers to variable names', () => {
    expect(variableName(' First Name ')).toBe('first_name');
    expect(variableName('Công ty')).toBe('cong_ty');
    expect(variableName('E-mail')).toBe('e_mail');
    expect(variableName('Điện thoại')).toBe('dien_thoai');
  });
});
