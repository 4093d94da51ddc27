import { describe, expect, it } from 'vitest';
import { renderJobOptions } from './renderer-choice';

describe('renderJobOptions', () => {
  it('gives HeyGen renders an hour before their job expires and leaves local renders on the queue default', () => {
    expect(renderJobOptions('heygen', { JOB_EXPIRE_SECONDS: 900 })).toEqual({ expireInSeconds: 3600 });
    expect(renderJobOptions('heygen', { JOB_EXPIRE_SECONDS: 7200 })).toEqual({ expireInSeconds: 7200 });
    expect(renderJobOptions('static', { JOB_EXPIRE_SECONDS: 900 })).toEqual({});
    expect(renderJobOptions('photo', { JOB_EXPIRE_SECONDS: 900 })).toEqual({});
  });
});
