import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { api, errorMessage } from '../api/client';
import type { LoginResponse } from '../api/types';
import { homeFor, useSession } from '../auth/session';
import { usePageTitle } from '../lib/usePageTitle';

export function SignIn() {
  usePageTitle('Sign in');
  const { user, signIn, endedReason } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});

  const login = useMutation({
    mutationFn: () => api<LoginResponse>('/auth/login', { method: 'POST', body: { email: email.trim(), password } }),
    onSuccess: (response) => signIn(response),
  });

  if (user) return <Navigate to={from && from !== '/sign-in' ? from : homeFor(user)} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems = {
      email: email.trim() ? undefined : 'Enter your email address',
      password: password ? undefined : 'Enter your password',
    };
    setMissing(problems);
    if (problems.email || problems.password) return;
    login.mutate();
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <form onSubmit={submit} noValidate aria-labelledby="sign-in-title">
          <Stack>
            <div>
              <Title order={1} id="sign-in-title" size="h2">
                Sign in to Imprimatur
              </Title>
              <Text c="dimmed" size="sm">
                For editors, Medical Advisory Board reviewers and admins.
              </Text>
            </div>
            {endedReason && !login.isError && (
              <Alert color="yellow" role="status">
                {endedReason}
              </Alert>
            )}
            {login.isError && (
              <Alert color="red" title="Could not sign in" role="alert">
                {errorMessage(login.error)}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={missing.email}
              data-autofocus
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={missing.password}
            />
            <Button type="submit" loading={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
