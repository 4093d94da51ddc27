import bcrypt from 'bcryptjs';

/** bcrypt hashing; cost comes from config (12 in production). */
export class PasswordHasher {
  constructor(private readonly cost: number) {}
  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }
  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }
}
