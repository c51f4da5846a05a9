import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { UserDto } from '../users/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.org' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the token expires', example: 3600 }) expiresIn: number;
  @ApiProperty({ type: UserDto }) user: UserDto;
}
