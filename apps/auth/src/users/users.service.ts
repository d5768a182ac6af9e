import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import type { Budget, Role } from '@ish/contracts';
import { UserEntity } from '@ish/database';
import { ApiError } from '@ish/platform';
import { hashPassword } from './password';

export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  /** null: every model */
  allowedModels: string[] | null;
  /** null: no budget */
  budget: Budget | null;
  createdAt: Date;
}

export function toPublicUser(user: UserEntity): PublicUser {
  return { id: user.id, email: user.email, role: user.role, disabled: user.disabled, allowedModels: user.allowedModels ?? null, budget: user.budget ?? null, createdAt: user.createdAt };
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(UserEntity) readonly users: Repository<UserEntity>) {}

  async register(email: string, password: string, role: Role = 'user'): Promise<UserEntity> {
    const passwordHash = await hashPassword(password);
    try {
      return await this.users.save(this.users.create({ email: email.toLowerCase(), passwordHash, role }));
    } catch (error) {
      if (error instanceof QueryFailedError && (error as QueryFailedError & { code?: string }).code === '23505') {
        throw ApiError.conflict('This email is already registered', 'email_taken');
      }
      throw error;
    }
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { email: email.toLowerCase() } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }
}
