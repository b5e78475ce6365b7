import Joi from 'joi';

/** §2.4 redirect parameters; the entry URL may carry its own query keys, so others are allowed. */
export interface EntryQuery {
  code: string;
  timestamp: string;
  nonce: string;
  codeSig: string;
}

export const entryQuerySchema = Joi.object<EntryQuery>({
  code: Joi.string().min(1).max(128).required().label('code'),
  timestamp: Joi.string()
    .pattern(/^\d{1,16}$/)
    .required()
    .label('timestamp'),
  nonce: Joi.string().min(1).max(128).required().label('nonce'),
  codeSig: Joi.string().min(1).max(128).required().label('codeSig'),
}).unknown(true);
