/** Random `adjective_noun` names for containers created without `--name`, as podman gives. */
import { randomInt } from 'node:crypto'

const ADJECTIVES = [
  'amazing', 'brave', 'busy', 'calm', 'clever', 'cool', 'crazy', 'dazzling', 'eager', 'elastic',
  'epic', 'fervent', 'focused', 'friendly', 'gallant', 'gifted', 'happy', 'hopeful', 'jolly', 'keen',
  'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'nice', 'nifty', 'nostalgic', 'optimistic',
  'peaceful', 'pensive', 'practical', 'quirky', 'relaxed', 'serene', 'sharp', 'silly', 'stoic', 'sweet',
  'tender', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'wizardly', 'wonderful', 'youthful', 'zealous', 'zen',
]

const NOUNS = [
  'agnesi', 'babbage', 'bardeen', 'bohr', 'curie', 'darwin', 'dijkstra', 'einstein', 'euclid', 'euler',
  'faraday', 'fermat', 'feynman', 'galileo', 'gauss', 'goldberg', 'hamilton', 'hopper', 'hypatia', 'jepsen',
  'johnson', 'kepler', 'knuth', 'lamarr', 'lovelace', 'maxwell', 'meitner', 'mendel', 'newton', 'noether',
  'pascal', 'pasteur', 'planck', 'ritchie', 'sammet', 'shannon', 'tesla', 'thompson', 'torvalds', 'turing',
  'volhard', 'wescoff', 'wiles', 'williams', 'wozniak', 'wright', 'yalow', 'yonath', 'zhukovsky', 'zuse',
]

export function randomName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`
}
