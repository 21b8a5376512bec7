// ---------------------------------------------------------------------------------------------------------
// Lighthouse 2020-03-24 request and response shapes (PascalCase, as in Tencent's API reference)
// ---------------------------------------------------------------------------------------------------------

/** A filter of a Describe action: `Values` are ORed, several filters ANDed. */
export interface Filter<Name extends string = string> {
  Name: Name;
  Values: readonly string[];
}

/** The filters of DescribeInstances; `tag:<key>` matches a tag's value. */
export type InstanceFilterName =
  | "instance-name"
  | "private-ip-address"
  | "public-ip-address"
  | "zone"
  | "instance-state"
  | "tag-key"
  | "tag-value"
  | `tag:${string}`
  | "bundle-id";

/** The filters of DescribeBlueprints and DescribeResetInstanceBlueprints. */
export type BlueprintFilterName =
  | "blueprint-id"
  | "blueprint-type"
  | "platform-type"
  | "blueprint-name"
  | "blueprint-state"
  | "scene-id";

/** An environment variable of a Docker container. */
export interface ContainerEnv {
  Key: string;
  Value: string;
}

/** A port a Docker container publishes on the host. */
export interface DockerContainerPublishPort {
  HostPort: number;
  ContainerPort: number;
  /** The host address bound. Default `"0.0.0.0"`. */
  Ip?: string;
  /** Default `"tcp"`. */
  Protocol?: "tcp" | "udp" | "sctp" | (string & {});
}

/** A host path mounted into a Docker container. */
export interface DockerContainerVolume {
  ContainerPath: string;
  HostPath?: string;
}

/** A container to run after the reset (Docker blueprints only). */
export interface DockerContainerConfiguration {
  /** e.g. `"ccr.ccs.tencentyun.com/qcloud/nginx"`. */
  ContainerImage: string;
  ContainerName?: string;
  Envs?: readonly ContainerEnv[];
  PublishPorts?: readonly DockerContainerPublishPort[];
  Volumes?: readonly DockerContainerVolume[];
  /** The command to run. */
  Command?: string;
  /** The container's restart policy. */
  RestartPolicy?: string;
}

/** How to log in after the reset. */
export interface LoginConfiguration {
  /** `"YES"`: generate a password (then no `Password`); `"NO"`: use `Password`. */
  AutoGeneratePassword?: "YES" | "NO";
  /** The login password, within the OS's complexity rules (Linux 8-30 characters, Windows 12-30). */
  Password?: string;
  /** Key pairs to bind (`lhkp-...`, at most 5); not with `Password`, not on Windows. */
  KeyIds?: readonly string[];
}

/**
 * ResetInstance's input. The instance must be RUNNING or STOPPED with no operation in progress; the OS
 * family (LINUX_UNIX / WINDOWS) cannot change. The system disk is wiped.
 */
export interface ResetInstanceRequest {
  /** `lhins-` and 8 lower-case letters or digits. */
  InstanceId: string;
  /** The image to install (`lhbp-...`). Without it, the current image is reinstalled. */
  BlueprintId?: string;
  /** Docker blueprints only: the containers to run. */
  Containers?: readonly DockerContainerConfiguration[];
  LoginConfiguration?: LoginConfiguration;
}

/** ResetInstance's output. The reset runs on asynchronously: wait for it with `waitUntilInstanceReset`. */
export interface ResetInstanceResponse {
  /** Also the instance's `LatestOperationRequestId` once the reset is under way. */
  RequestId: string;
}

/** DescribeInstances' input: `InstanceIds` or `Filters`, not both. */
export interface DescribeInstancesRequest {
  /** At most 100. */
  InstanceIds?: readonly string[];
  /** At most 10 filters. */
  Filters?: readonly Filter<InstanceFilterName | (string & {})>[];
  /** Default 0. */
  Offset?: number;
  /** Default 20, at most 100. */
  Limit?: number;
  /** What to sort by. */
  OrderField?: "EXPIRED_TIME" | "CREATED_TIME";
  /** The sort order. */
  Order?: "ASC" | "DESC";
}

/** DescribeInstances' output. */
export interface DescribeInstancesResponse {
  /** Instances matching in all (more than `InstanceSet` holds when paging). */
  TotalCount: number;
  InstanceSet: Instance[];
  RequestId: string;
}

/** What a blueprint is. */
export type BlueprintType = "APP_OS" | "PURE_OS" | "DOCKER" | "PRIVATE" | "SHARED";

/** An image an instance can be reset to (DescribeBlueprints' Blueprint). */
export interface Blueprint {
  /** `lhbp-` and 8 lower-case letters or digits. */
  BlueprintId: string;
  DisplayTitle: string;
  DisplayVersion: string;
  Description: string | null;
  OsName: string;
  Platform: string;
  PlatformType: PlatformType | (string & {});
  BlueprintType: BlueprintType | (string & {});
  ImageUrl: string;
  /** GB. */
  RequiredSystemDiskSize: number;
  BlueprintState: string;
  CreatedTime: string | null;
  BlueprintName: string;
  /** Whether the TAT automation agent runs on it. */
  SupportAutomationTools: boolean;
  /** GB. */
  RequiredMemorySize: number;
  /** The CVM image ID of an image shared to Lighthouse. */
  ImageId: string | null;
  CommunityUrl: string;
  GuideUrl: string;
  SceneIdSet: string[] | null;
  DockerVersion?: string | null;
  BlueprintShared?: boolean;
}

/** DescribeBlueprints' input: `BlueprintIds` or `Filters`, not both. */
export interface DescribeBlueprintsRequest {
  BlueprintIds?: readonly string[];
  /** At most 10 filters. */
  Filters?: readonly Filter<BlueprintFilterName | (string & {})>[];
  /** Default 0. */
  Offset?: number;
  /** Default 20, at most 100. */
  Limit?: number;
}

/** DescribeBlueprints' output. */
export interface DescribeBlueprintsResponse {
  TotalCount: number;
  BlueprintSet: Blueprint[];
  RequestId: string;
}

/** DescribeResetInstanceBlueprints' input: the images this instance can be reset to. */
export interface DescribeResetInstanceBlueprintsRequest {
  InstanceId: string;
  /** Default 0. */
  Offset?: number;
  /** Default 20, at most 100. */
  Limit?: number;
  Filters?: readonly Filter<BlueprintFilterName | (string & {})>[];
}

/** One image DescribeResetInstanceBlueprints offers. */
export interface ResetInstanceBlueprint {
  BlueprintInfo: Blueprint;
  IsResettable: boolean;
  /** Why not, when `IsResettable` is false; `""` otherwise. */
  NonResettableMessage: string;
}

/** DescribeResetInstanceBlueprints' output. */
export interface DescribeResetInstanceBlueprintsResponse {
  TotalCount: number;
  ResetInstanceBlueprintSet: ResetInstanceBlueprint[];
  RequestId: string;
}
