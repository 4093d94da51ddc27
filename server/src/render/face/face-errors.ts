import { AppError } from '../../errors';
import type { PrepareFailure } from '../prepared';

const TEXT: Record<PrepareFailure, { en: string; vi: string; hint: string; hint_vi: string }> = {
  no_face: {
    en: 'No face was found in the photo',
    vi: 'Không tìm thấy khuôn mặt trong ảnh',
    hint: 'Use a frontal photo of one person, face at least {min} px wide, well lit.',
    hint_vi: 'Hãy dùng ảnh chụp chính diện của một người, khuôn mặt rộng ít nhất {min} px, đủ sáng.',
  },
  multiple_faces: {
    en: 'The photo shows several faces',
    vi: 'Ảnh có nhiều khuôn mặt',
    hint: 'Use a photo with only your face in it (crop out other people).',
    hint_vi: 'Hãy dùng ảnh chỉ có khuôn mặt của bạn (cắt bỏ những người khác).',
  },
  face_too_small: {
    en: 'The face in the photo is too small',
    vi: 'Khuôn mặt trong ảnh quá nhỏ',
    hint: 'Use a frontal photo, face at least {min} px wide (a head-and-shoulders photo of 1080 px or more works best).',
    hint_vi: 'Hãy dùng ảnh chính diện, khuôn mặt rộng ít nhất {min} px (ảnh chân dung từ 1080 px trở lên là tốt nhất).',
  },
  face_not_frontal: {
    en: 'The face is turned away or tilted',
    vi: 'Khuôn mặt bị quay nghiêng hoặc lệch',
    hint: 'Use a frontal photo: look straight into the camera, head upright.',
    hint_vi: 'Hãy dùng ảnh chính diện: nhìn thẳng vào máy ảnh, giữ đầu thẳng.',
  },
};

/** The 422 for a photo preparation refuses; details carry an English and a Vietnamese hint. */
export function prepareError(reason: PrepareFailure, minFaceWidthPx: number, detail?: string): AppError {
  const t = TEXT[reason];
  const fill = (s: string) => s.replace('{min}', String(minFaceWidthPx));
  return new AppError(422, reason, `${t.en}${detail ? ` (${detail})` : ''}`, {
    hint: fill(t.hint),
    hint_vi: fill(t.hint_vi),
    message_vi: t.vi,
  });
}
