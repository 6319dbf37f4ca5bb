import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type * as z from 'zod/v4';
import type { ToolExtra } from './tool-context.js';

/** What one tool is: its name, schemas, annotations and what it does. */
export interface ToolDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: z.ZodObject;
  readonly output: z.ZodObject;
  readonly annotations: ToolAnnotations;
  /** Runs the tool on arguments its input schema accepted. */
  run(args: Record<string, unknown>, extra: ToolExtra): Promise<CallToolResult>;
}

/** The annotations of a tool that only reads: safe to call freely and to repeat. */
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** The annotations of a tool that writes: `destructive` when it may remove or overwrite data, `idempotent` when repeating it changes nothing more. */
export function writes(destructive: boolean, idempotent: boolean): ToolAnnotations {
  return { readOnlyHint: false, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: false };
}

/** Whether a tool only reads (the tools a read-only server keeps). */
export function isReadOnly(tool: ToolDefinition): boolean {
  return tool.annotations.readOnlyHint === true;
}
