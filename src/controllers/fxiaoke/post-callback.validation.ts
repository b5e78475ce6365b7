import Joi from 'joi';

/** §2.2 push body: four non-empty strings, the timestamp all digits. Extra keys are tolerated. */
export interface PushBody {
  nonce: string;
  timeStamp: string;
  content: string;
  sig: string;
}

export const pushBodySchema = Joi.object<PushBody>({
  nonce: Joi.string().min(1).max(256).required(),
  timeStamp: Joi.string()
    .pattern(/^\d{1,16}$/)
    .required(),
  content: Joi.string().min(1).max(1_000_000).required(),
  sig: Joi.string().min(1).max(256).required(),
})
  .unknown(true)
  .required();

/** The decrypted message M (§2.2). */
export interface PushMessage {
  type: 'PermanentCode' | 'CancelPermanentCode' | 'Message';
  content: string;
}

export const pushMessageSchema = Joi.object<PushMessage>({
  type: Joi.string().valid('PermanentCode', 'CancelPermanentCode', 'Message').required(),
  content: Joi.string().allow('').max(100_000).required(),
}).unknown(true);
