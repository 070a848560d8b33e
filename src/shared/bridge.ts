/**
 * The contract between the `lab` CLI (Node) and its bridge page (src/client/lab-bridge.ts), which
 * forwards protocol commands to the worker. Large buffers never cross Playwright's JSON channel:
 * going in, an ArrayBuffer is written as a `{ $fetch: url }` placeholder that the page fetches;
 * coming out, an ArrayBuffer becomes a browser download and a typed array its size and hash.
 */
import type { Command, ReplyOf, RequestCommand, RequestType } from './protocol.ts';

/** A placeholder the page replaces with the bytes at `$fetch` (a URL the CLI's server offers). */
export type Fetchable = { readonly $fetch: string };

/** `T` as the CLI writes it: every ArrayBuffer a `Fetchable`. */
export type Fetching<T> = T extends ArrayBuffer
  ? Fetchable
  : T extends ArrayBufferView
    ? T
    : T extends readonly (infer U)[]
      ? readonly Fetching<U>[]
      : T extends object
        ? { readonly [K in keyof T]: Fetching<T[K]> }
        : T;

/** `T` as the CLI receives it: ArrayBuffers saved as downloads, typed arrays as size and FNV-1a hash. */
export type JsonSafe<T> = T extends ArrayBuffer
  ? { readonly downloaded: string; readonly bytes: number }
  : T extends ArrayBufferView
    ? { readonly bytes: number; readonly fnv1a: string }
    : T extends readonly (infer U)[]
      ? JsonSafe<U>[]
      : T extends object
        ? { readonly [K in keyof T]: JsonSafe<T[K]> }
        : T;

/** A command as the CLI sends it through the bridge. */
export type BridgeCommand = Fetching<Command>;
/** A request command as the CLI sends it through the bridge. */
export type BridgeRequest = Fetching<RequestCommand>;

/** The reply to request `C` as the CLI receives it. */
export type BridgeReply<C extends RequestType> = JsonSafe<ReplyOf<C>>;
