// API errors: thrown by the checks and the actions, turned into `Response.Error` by request.mjs.

export class ApiError extends Error {
  constructor(code, message, zh) {
    super(message);
    this.code = code;
    this.zh = zh;
  }
}

export const fail = (code, message, zh) => {
  throw new ApiError(code, message, zh);
};

// The Chinese messages of the codes (the service's default language; an error may carry its own `zh`), and of
// the code classes, so that a zh-CN answer never carries an English message.
export const ZH = {
  'AuthFailure.InvalidAuthorization': 'Authorization 头部格式错误或缺失。',
  'AuthFailure.SecretIdNotFound': '密钥不存在，请在控制台检查密钥是否已被删除或者禁用。',
  'AuthFailure.SignatureFailure': '请求签名验证失败，请检查您的签名计算是否正确。',
  'AuthFailure.SignatureExpire': '签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。',
  'AuthFailure.TokenFailure': '临时证书 Token 错误或已失效。',
  RequestLimitExceeded: '请求的次数超过了频率限制。',
  InvalidAction: '接口不存在。',
  NoSuchVersion: '接口版本不存在。',
  MissingParameter: '缺少参数错误。',
  UnknownParameter: '未知参数错误。',
  InvalidParameter: '参数错误。',
  RequestSizeLimitExceeded: '请求包超过限制大小。',
  'ResourceNotFound.InstanceIdNotFound': '实例 ID 不存在。',
  'ResourceNotFound.BlueprintIdNotFound': '镜像 ID 不存在。',
  'UnsupportedOperation.LatestOperationUnfinished': '不支持的操作：实例最近一次的操作尚未完成。',
  'UnsupportedOperation.InvalidInstanceState': '不支持的操作：实例状态不合法。',
  'OperationDenied.InstanceCreating': '实例正在创建中，不允许操作。',
  InternalError: '内部错误。',
  UnsupportedRegion: '接口不支持所传地域。',
  InvalidParameterValue: '参数取值错误。',
  AuthFailure: '认证失败。',
  ResourceNotFound: '资源不存在。',
  ResourceUnavailable: '资源不可用。',
  UnsupportedOperation: '操作不支持。',
  OperationDenied: '操作被拒绝。',
  FailedOperation: '操作失败。',
  UnauthorizedOperation: '未授权操作。',
  LimitExceeded: '超过配额限制。',
  ServiceUnavailable: '当前服务暂时不可用。',
};
