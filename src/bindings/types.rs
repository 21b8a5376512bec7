//! TypeScript declarations for the shapes the exports take and return.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const SIGN_TYPES: &'static str = r#"
/** What `signRequest` signs. */
export interface SignInput {
  secretId: string;
  secretKey: string;
  /** Session token of temporary (STS) credentials; sent as X-TC-Token, not signed. */
  token?: string;
  /** Default "lighthouse". */
  service?: string;
  /** Default "lighthouse.tencentcloudapi.com"; include ":port" when the wire Host has one. */
  host?: string;
  action: string;
  /** Default "2020-03-24". */
  version?: string;
  region?: string;
  language?: "zh-CN" | "en-US";
  /** Unix seconds; default: now. */
  timestamp?: number;
  /** Default "POST". */
  method?: "POST" | "GET";
  /** Default "application/json" (POST), "application/x-www-form-urlencoded" (GET). */
  contentType?: string;
  /** GET: the query string exactly as sent, without "?". */
  query?: string;
  /** POST: the exact body; its UTF-8 bytes are signed. Default "{}" (POST), "" (GET). */
  payload?: string;
}

/** Every stage of the signature and every header to send. */
export interface SignedRequest {
  authorization: string;
  signature: string;
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  timestamp: number;
  /** Authorization, Content-Type, Host, X-TC-Action, X-TC-Version, X-TC-Timestamp, and X-TC-Region/-Token/-Language when given. */
  headers: Record<string, string>;
}
"#;
