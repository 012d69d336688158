/**
 * Reading one of a project's config files as its readers do: configFile.ts
 * refuses a file too large or not regular by throwing, while each reader of
 * the project's sources records that refusal as a problem at the file and goes
 * on with the other sources. This is that step, once, so no reader catches
 * the refusal its own way.
 */
import { ConfigFileRefused, readConfigText } from './configFile';

/** The text of `file` (readConfigText): null when there is none; undefined when it was refused, after `refused` has it. */
export async function readText(file: string, refused: (error: ConfigFileRefused) => void): Promise<string | null | undefined> {
  try {
    return await readConfigText(file);
  } catch (error) {
    if (!(error instanceof ConfigFileRefused)) throw error;
    refused(error);
    return undefined;
  }
}
