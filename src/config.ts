import Joi from 'joi';

/**
 * Every environment variable the plugin reads, validated once at start-up. A wrong or missing value
 * stops the process with a message naming the variable. The README lists the same variables.
 */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  /** How the CRM and browsers reach this plugin (hook, callback and entry URLs are built from it). */
  readonly publicUrl: string;
  /** MongoDB connection string; null → the embedded FerretDB under dataDir. */
  readonly mongodbUri: string | null;
  readonly dataDir: string;
  /** 32-byte key for AES-256-GCM encryption of secrets at rest. */
  readonly secretKey: Buffer;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly jdy: {
    readonly baseUrl: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly rateLimitPerMinute: number;
    readonly timeoutMs: number;
  };
  readonly fx: {
    readonly baseUrl: string;
    readonly appId: string;
    readonly appSecret: string;
    readonly token: string;
    readonly encodingAesKey: string;
    readonly rateLimitPer20s: number;
    readonly timeoutMs: number;
  };
  readonly sessionTtlMinutes: number;
  /** How often the scheduler polls for due jobs. */
  readonly jobPollMs: number;
  /** A job lock older than this is considered dead and the job is taken over. */
  readonly jobLockLifetimeMs: number;
}

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  HOST: Joi.string().hostname().default('127.0.0.1'),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  MONGODB_URI: Joi.string().uri({ scheme: ['mongodb', 'mongodb+srv'] }),
  DATA_DIR: Joi.string().default('./data'),
  SECRET_KEY: Joi.string()
    .base64()
    .custom((value: string, helpers) =>
      Buffer.from(value, 'base64').length === 32 ? value : helpers.error('any.invalid'),
    )
    .required()
    .messages({ 'any.invalid': '"SECRET_KEY" must be 32 bytes, base64-encoded' }),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  JDY_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.kingdee.com'),
  JDY_CLIENT_ID: Joi.string().required(),
  JDY_CLIENT_SECRET: Joi.string().required(),
  JDY_RATE_LIMIT_PER_MINUTE: Joi.number().integer().min(1).max(100000).default(480),
  FX_BASE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://open.fxiaoke.com'),
  FX_APP_ID: Joi.string().required(),
  FX_APP_SECRET: Joi.string().required(),
  FX_TOKEN: Joi.string().required(),
  FX_ENCODING_AES_KEY: Joi.string().length(43).required(),
  FX_RATE_LIMIT_PER_20S: Joi.number().integer().min(1).max(100000).default(95),
  API_TIMEOUT_MS: Joi.number().integer().min(100).max(600000).default(30000),
  SESSION_TTL_MINUTES: Joi.number()
    .integer()
    .min(5)
    .max(7 * 24 * 60)
    .default(480),
  JOB_POLL_MS: Joi.number().integer().min(100).max(600000).default(2000),
  JOB_LOCK_LIFETIME_MS: Joi.number()
    .integer()
    .min(1000)
    .default(15 * 60 * 1000),
})
  .unknown(true)
  .prefs({ abortEarly: false, convert: true });

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const { value, error } = schema.validate(env);
  if (error) throw new ConfigError(error.details.map((d) => d.message));
  const v = value as Record<string, string | number | undefined>;
  const port = Number(v.PORT);
  const host = String(v.HOST);
  return Object.freeze({
    nodeEnv: v.NODE_ENV as Config['nodeEnv'],
    host,
    port,
    publicUrl: String(v.PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/+$/, ''),
    mongodbUri: typeof v.MONGODB_URI === 'string' ? v.MONGODB_URI : null,
    dataDir: String(v.DATA_DIR),
    secretKey: Buffer.from(String(v.SECRET_KEY), 'base64'),
    logLevel: v.LOG_LEVEL as Config['logLevel'],
    jdy: Object.freeze({
      baseUrl: String(v.JDY_BASE_URL).replace(/\/+$/, ''),
      clientId: String(v.JDY_CLIENT_ID),
      clientSecret: String(v.JDY_CLIENT_SECRET),
      rateLimitPerMinute: Number(v.JDY_RATE_LIMIT_PER_MINUTE),
      timeoutMs: Number(v.API_TIMEOUT_MS),
    }),
    fx: Object.freeze({
      baseUrl: String(v.FX_BASE_URL).replace(/\/+$/, ''),
      appId: String(v.FX_APP_ID),
      appSecret: String(v.FX_APP_SECRET),
      token: String(v.FX_TOKEN),
      encodingAesKey: String(v.FX_ENCODING_AES_KEY),
      rateLimitPer20s: Number(v.FX_RATE_LIMIT_PER_20S),
      timeoutMs: Number(v.API_TIMEOUT_MS),
    }),
    sessionTtlMinutes: Number(v.SESSION_TTL_MINUTES),
    jobPollMs: Number(v.JOB_POLL_MS),
    jobLockLifetimeMs: Number(v.JOB_LOCK_LIFETIME_MS),
  });
}
